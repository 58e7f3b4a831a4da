package dev.kindling.triggers;

/**
 * Who made an S3 request and how S3 answered it, as an event record reports them.
 *
 * @param principalId the requester (userIdentity.principalId)
 * @param sourceIp the client's address (requestParameters.sourceIPAddress)
 * @param requestId S3's x-amz-request-id of the answer
 * @param hostId S3's x-amz-id-2 of the answer
 */
public record S3Requester(String principalId, String sourceIp, String requestId, String hostId) {}
