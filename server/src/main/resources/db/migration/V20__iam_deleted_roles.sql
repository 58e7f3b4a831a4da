-- Roles deleted from Kindling's IAM: their credentials still in use (a function's, an AssumeRole session's) are
-- then allowed nothing, where a role Kindling never knew allows everything. Creating the role again clears it.
CREATE TABLE iam_deleted_roles (
    name_key TEXT PRIMARY KEY,
    deleted_ms INTEGER NOT NULL
);
