package dev.modelcost.processor.write;

import dev.modelcost.ClosedForm;
import dev.modelcost.processor.sizes.SizeForms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The "Sizes" section of the reports: each figure's closed form in the size variables, and where the forms hold. */
final class SizesText {
    static final String TITLE = "Sizes";
    static final List<String> HEADINGS = List.of("figure", "closed form");

    private SizesText() {}

    /** What the section shows: the variables and the lattice on which the forms hold. */
    static String intro(SizeForms forms) {
        List<String> domains = new ArrayList<>();
        for (dev.modelcost.SizeDomain d : forms.domains()) {
            domains.add(d + (d.aboveMax().isEmpty() ? "" : "; above " + Numbers.grouped(d.max()) + ", " + d.aboveMax())
                    + (d.aboveProgramMax().equals(d.aboveMax()) ? "" : "; off the lattice above " + Numbers.grouped(d.programMax()) + ", "
                            + d.aboveProgramMax()));
        }
        boolean edged = !forms.atSmallest().isEmpty();
        boolean maxima = edged || forms.forms().values().stream().anyMatch(dev.modelcost.ClosedForm::isMaximum);
        boolean minima = forms.forms().values().stream().anyMatch(f -> f.isMinimum() && f.figure().equals("BYTES_MOVED"));
        List<String> extrema = new ArrayList<>();
        if (maxima) {
            extrema.add("a maximum over the layers, such as the activation peak, as the largest of several" + (edged ? " and, "
                    + SizeFunctions.AT_SMALLEST : ""));
        }
        if (minima) {
            extrema.add("the bytes moved by layers that read at most their table as the smallest of several");
        }
        return "Every figure as an exact polynomial in the sizes" + (extrema.isEmpty() ? "" : " (" + String.join("; ", extrema) + ")")
                + ", established by compiling the model at further sizes and checked there; "
                + "the generated at(...) evaluates them. They hold for " + String.join(", ", domains) + "."
                + (forms.pastTurn() == null ? "" : " " + pastTurn(forms)) + offLattice(forms);
    }

    /**
     * Where the forms were established past a test that turns just above the declared sizes ({@link SizeForms#pastTurn()}): at which
     * sizes, why, and what at(...) gives at the declared sizes.
     */
    static String pastTurn(SizeForms forms) {
        List<String> at = new ArrayList<>();
        List<String> declared = new ArrayList<>();
        for (int i = 0; i < forms.names().size(); i++) {
            at.add(forms.names().get(i) + " = " + Numbers.grouped(forms.pastTurn().sizes().get(i)));
            declared.add(forms.names().get(i) + " = " + Numbers.grouped(forms.domains().get(i).fallback()));
        }
        return "The declared sizes (" + String.join(", ", declared) + ") sit just below a test that turns (" + forms.pastTurn().why()
                + "), so that no polynomial holds on both sides of it: the forms were established past it, at " + String.join(", ", at)
                + ", and hold from there; at the declared sizes at(...) gives the model's own figures, the constants of this class.";
    }

    /** What at(...) does off the lattice, where a lattice leaves sizes out. */
    private static String offLattice(SizeForms forms) {
        if (forms.program() != null) {
            return " Off the lattice, and below its smallest size, at(...) answers from the model's size program: every tensor's sizes "
                    + "followed through the layers' shape rules, and every figure an exact linear combination of the products of each tensor's "
                    + "sizes, checked by compiling the model off the lattice and at the smallest sizes where it exists." + whereStepsDiffer(forms);
        }
        return forms.noProgram() == null ? "" : " Sizes off the lattice are refused: the model " + forms.noProgram() + "." + notFiner(forms);
    }

    /**
     * Where the size program keeps a {@code @When} that reads the sizes to where it holds as at the declared sizes ({@code when}
     * lines), what it refuses; empty where it keeps none.
     */
    static String whereStepsDiffer(SizeForms forms) {
        return forms.program() == null || !("\n" + forms.program()).contains("\nwhen\t") ? ""
                : " It refuses the sizes at which a @When that reads the sizes may not hold as at the declared ones, where the network may "
                        + "take other steps, naming the test.";
    }

    /** Why no finer lattice holds, for each variable where that is known ({@link dev.modelcost.SizeDomain#notFiner()}); empty where none is. */
    static String notFiner(SizeForms forms) {
        StringBuilder text = new StringBuilder();
        for (dev.modelcost.SizeDomain d : forms.domains()) {
            if (!d.notFiner().isEmpty()) {
                text.append(" No finer lattice of ").append(d.name()).append(" holds: ").append(d.notFiner()).append('.');
            }
        }
        return text.toString();
    }

    /** One row per figure with a closed form: its constant and the form, on each piece of sizes where there are several and it differs. */
    static List<List<String>> rows(SizeForms forms) {
        List<List<String>> rows = new ArrayList<>();
        for (String figure : forms.forms().keySet()) {
            List<String> texts = new ArrayList<>();
            for (SizeForms.Piece piece : forms.pieces()) {
                String text = piece.forms().get(figure).toString();
                texts.add(text.substring(text.indexOf(" = ") + 3));
            }
            if (texts.stream().distinct().count() == 1) {
                rows.add(List.of(figure, texts.get(0)));
                continue;
            }
            List<String> parts = new ArrayList<>();
            for (int p = 0; p < texts.size(); p++) {
                SizeForms.Piece piece = forms.pieces().get(p);
                parts.add(texts.get(p) + " (" + forms.names().get(0) + " from " + Numbers.grouped(piece.from()) + " to " + Numbers.grouped(piece.to()) + ")");
            }
            rows.add(List.of(figure, String.join("; ", parts)));
        }
        return rows;
    }

    /** One line per figure without a closed form, saying why. */
    static List<String> missing(SizeForms forms) {
        List<String> lines = new ArrayList<>();
        forms.missing().forEach((figure, why) -> lines.add(figure + " has no closed form: it " + why + "."));
        return lines;
    }
}
