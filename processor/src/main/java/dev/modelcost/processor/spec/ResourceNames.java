package dev.modelcost.processor.spec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/** Names the files the processor writes beside the class files after a type, short enough for any file system. */
public final class ResourceNames {
    /** File names stay below this many bytes (file systems allow 255), extension included. */
    public static final int MAX_NAME_BYTES = 160;

    private ResourceNames() {}

    /**
     * A type's qualified name as a file name before an extension: itself where it fits, else its start (100 bytes at most) and a
     * hash of the whole name ({@code com.acme.VeryLong…-3f2a9c0d1e4b5a67}), so that two long names stay apart.
     */
    public static String of(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES - 16) {
            return name;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                hex.append(String.format(Locale.ROOT, "%02x", hash[i]));
            }
            String start = name.substring(0, Math.min(name.length(), 100));
            while (start.getBytes(StandardCharsets.UTF_8).length > 100) {
                start = start.substring(0, start.length() - 1);
            }
            return start + "-" + hex;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
