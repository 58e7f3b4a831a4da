package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.code.CodeStore;
import dev.kindling.services.S3Storage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The .zip package a CreateFunction's Code, an UpdateFunctionCode or a PublishLayerVersion's Content names: its
 * ZipFile bytes (at most 50 MB, as AWS takes them inline), or an object in one of Kindling's S3 buckets (S3Bucket,
 * S3Key, S3ObjectVersion; up to the 250 MB a package may unzip to), with AWS's errors for a bucket or key that does
 * not exist.
 */
public final class CodePackages {
    private final S3Storage s3;

    public CodePackages(S3Storage s3) {
        this.s3 = s3;
    }

    /** @param zipFileMissing the message when the object names no source at all */
    byte[] read(JsonNode code, String zipFileMissing) {
        Optional<String> bucket = text(code, "S3Bucket");
        Optional<String> key = text(code, "S3Key");
        Optional<String> version = text(code, "S3ObjectVersion");
        JsonNode zip = code.get("ZipFile");
        boolean inline = zip != null && !zip.isNull();
        if (inline && (bucket.isPresent() || key.isPresent())) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Please provide either ZipFile or an S3 location (S3Bucket and S3Key), not both.");
        }
        if (bucket.isPresent() || key.isPresent() || version.isPresent()) {
            if (bucket.isEmpty() || key.isEmpty()) {
                throw new LambdaException(ErrorType.InvalidParameterValueException,
                        "Please provide both S3Bucket and S3Key for a package in S3.");
            }
            return fromS3(bucket.get(), key.get(), version);
        }
        if (!inline) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, zipFileMissing);
        }
        byte[] bytes;
        try {
            bytes = zip.binaryValue();
        } catch (IOException | RuntimeException e) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "ZipFile must be the base64-encoded bytes of a .zip file.");
        }
        if (bytes.length > CodeStore.MAX_ZIPPED_BYTES) {
            throw new LambdaException(ErrorType.RequestEntityTooLargeException,
                    "Zipped size must be smaller than " + CodeStore.MAX_ZIPPED_BYTES + " bytes");
        }
        return bytes;
    }

    private byte[] fromS3(String bucket, String key, Optional<String> version) {
        if (!s3.bucketExists(bucket)) {
            throw getObjectFailed("NoSuchBucket", "The specified bucket does not exist");
        }
        Optional<InputStream> object = s3.read(bucket, key, version);
        if (object.isEmpty()) {
            throw version.isPresent() && s3.read(bucket, key, Optional.empty()).map(CodePackages::closed).isPresent()
                    ? getObjectFailed("NoSuchVersion", "The specified version does not exist.")
                    : getObjectFailed("NoSuchKey", "The specified key does not exist.");
        }
        try (InputStream in = object.get()) {
            byte[] bytes = in.readNBytes((int) CodeStore.MAX_UNZIPPED_BYTES + 1);
            if (bytes.length > CodeStore.MAX_UNZIPPED_BYTES) {
                throw new LambdaException(ErrorType.InvalidParameterValueException,
                        "Unzipped size must be smaller than " + CodeStore.MAX_UNZIPPED_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new LambdaException(ErrorType.ServiceException, "Kindling could not read s3://" + bucket + "/"
                    + key + ": " + e.getMessage());
        }
    }

    private static InputStream closed(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // only its existence was asked
        }
        return in;
    }

    private static LambdaException getObjectFailed(String code, String message) {
        return new LambdaException(ErrorType.InvalidParameterValueException, "Error occurred while GetObject. S3 Error"
                + " Code: " + code + ". S3 Error Message: " + message);
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
