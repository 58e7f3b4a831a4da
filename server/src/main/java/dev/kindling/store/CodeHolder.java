package dev.kindling.store;

import java.util.List;

/** A repository whose records refer to code blobs: the code store keeps a blob while any holder refers to it. */
public interface CodeHolder {

    /** True while any record refers to the code blob. */
    boolean isCodeReferenced(String sha256Hex);

    /** Every code blob some record refers to. */
    List<String> referencedCode();
}
