-- IAM roles and policies (the iam component): roles with their trust policy, their inline policies, the customer
-- managed policies CreatePolicy made, and which managed policies (AWS's or the account's, by ARN) each role has
-- attached. AWS's own managed policies ship with Kindling and are not stored. Role names are unique regardless of
-- case, as on AWS: name_key is the lower-case name.
CREATE TABLE iam_roles (
    name                VARCHAR(64)  PRIMARY KEY,
    name_key            VARCHAR(64)  NOT NULL UNIQUE,
    role_id             VARCHAR(32)  NOT NULL,
    path                VARCHAR(512) NOT NULL,
    trust_policy        TEXT         NOT NULL,
    description         VARCHAR(1000),
    max_session_seconds INTEGER      NOT NULL,
    created_ms          BIGINT       NOT NULL,
    tags                TEXT         NOT NULL
);

CREATE TABLE iam_role_policies (
    role_name   VARCHAR(64)  NOT NULL REFERENCES iam_roles (name) ON DELETE CASCADE,
    policy_name VARCHAR(128) NOT NULL,
    document    TEXT         NOT NULL,
    PRIMARY KEY (role_name, policy_name)
);

CREATE TABLE iam_policies (
    arn         VARCHAR(2048) PRIMARY KEY,
    name        VARCHAR(128)  NOT NULL,
    policy_id   VARCHAR(32)   NOT NULL,
    path        VARCHAR(512)  NOT NULL,
    description VARCHAR(1000),
    document    TEXT          NOT NULL,
    created_ms  BIGINT        NOT NULL,
    tags        TEXT          NOT NULL
);

CREATE TABLE iam_role_attachments (
    role_name  VARCHAR(64)   NOT NULL REFERENCES iam_roles (name) ON DELETE CASCADE,
    policy_arn VARCHAR(2048) NOT NULL,
    PRIMARY KEY (role_name, policy_arn)
);
