-- SnapStart's ApplyOn (None or PublishedVersions) of each function and version: Java functions with
-- PublishedVersions start from an ahead-of-time cache (docs/java.md).
ALTER TABLE functions ADD COLUMN snap_start_apply_on VARCHAR(20) NOT NULL DEFAULT 'None';
ALTER TABLE function_versions ADD COLUMN snap_start_apply_on VARCHAR(20) NOT NULL DEFAULT 'None';
