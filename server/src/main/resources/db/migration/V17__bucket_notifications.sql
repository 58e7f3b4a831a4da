-- S3 bucket notification configurations (PutBucketNotificationConfiguration): one per bucket, kept by Kindling
-- because the embedded S3 (s3proxy) has none. Buckets live in s3proxy's store, so no foreign key: deleting a bucket
-- through Kindling deletes its row.
CREATE TABLE bucket_notifications (
    bucket             VARCHAR(63) NOT NULL PRIMARY KEY,
    -- The LambdaFunctionConfigurations as JSON, in the order given.
    configuration_json TEXT        NOT NULL
);
