#!/usr/bin/env bash
# Follows the README's quick start as a new user would: installs the artifacts to the local Maven
# repository, creates a fresh one-module project outside this repository whose pom.xml carries the
# XML the README shows, compiles one model class, then runs code that reads its constants.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

echo "== install the artifacts (mvn -B -q install -DskipTests)"
(cd "$repo" && mvn -B -q install -DskipTests)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
project=$work/my-app
mkdir -p "$project/src/main/java/com/acme"

# The README's quick-start XML, exactly as written there (the first ```xml block).
snippet=$(awk '/^```xml$/{inside=1; next} /^```$/{if (inside) exit} inside' "$repo/README.md")
if [ -z "$snippet" ]; then
  echo "README.md has no xml block" >&2
  exit 1
fi
cat > "$project/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.acme</groupId>
  <artifactId>my-app</artifactId>
  <version>1.0</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
$snippet
</project>
POM

cat > "$project/src/main/java/com/acme/TinyNet.java" <<'JAVA'
package com.acme;

import dev.modelcost.*;

@Model(input = {1, 28, 28})
@Budget(maxParams = 20_000)
public class TinyNet {
    @Conv2d(cout = 8, k = 3, padding = 1) Layer conv;
    @ReLU                                 Layer relu;
    @MaxPool2d(k = 2)                     Layer pool;
    @Flatten                              Layer flatten;
    @Linear(out = 10)                     Layer fc;
}
JAVA
cat > "$project/src/main/java/com/acme/Main.java" <<'JAVA'
package com.acme;

public class Main {
    public static void main(String[] args) {
        switch ((int) TinyNetCost.PARAMS) {
            case (int) TinyNetCost.PARAMS -> System.out.println("params " + TinyNetCost.PARAMS);
            default -> throw new AssertionError();
        }
        System.out.println("macs " + TinyNetCost.MACS);
        System.out.println("output " + TinyNetCost.OUTPUT_SHAPE);
        System.out.println("layers " + TinyNetCost.LAYERS.size());
    }
}
JAVA

echo "== compile the new project ($project)"
(cd "$project" && mvn -B -q package)
annotations=$(find ~/.m2/repository/dev/modelcost/modelcost-annotations -name 'modelcost-annotations-*.jar' | head -n 1)
output=$(java -cp "$project/target/classes:$annotations" com.acme.Main)
echo "$output"

# conv: 8 x 28 x 28 outputs, K = 9: 56,448 MACs, 8 * 9 + 8 = 80 params; pool -> 8x14x14 = 1,568;
# fc: 1,568 * 10 = 15,680 MACs, 15,690 params. Totals: 72,128 MACs, 15,770 params.
expected=$'params 15770\nmacs 72128\noutput 1x10\nlayers 5'
if [ "$output" != "$expected" ]; then
  echo "unexpected output; expected:" >&2
  echo "$expected" >&2
  exit 1
fi
echo "quick start: OK"
