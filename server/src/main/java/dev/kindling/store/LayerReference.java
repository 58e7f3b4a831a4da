package dev.kindling.store;

/**
 * A function's reference to one layer version, resolved when the function was configured: what the function keeps
 * of the layer, so it goes on working (and its code stays in the store) after the layer version is deleted.
 *
 * @param arn the layer version's ARN, as the function's configuration shows it
 * @param codeSha256Hex the layer's zip, which the code store keeps while anything refers to it
 * @param codeSize the zip's size in bytes, shown in the configuration
 * @param unzippedSize the unpacked content's size in bytes, counted against the function's size limit
 */
public record LayerReference(String arn, String codeSha256Hex, long codeSize, long unzippedSize) {}
