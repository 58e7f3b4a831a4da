-- EventBridge: event buses (the default one is added by Kindling at its first start), the rules on them and the
-- targets of each rule. A rule keeps when its schedule started (rates count from it) and the occurrence it fired
-- last, so a restart neither fires an occurrence twice nor loses the rhythm of a rate. A target is kept as the JSON
-- PutTargets was given, so ListTargetsByRule answers what was put.
CREATE TABLE event_buses (
    name        VARCHAR(256) PRIMARY KEY,
    description VARCHAR(512),
    created_ms  BIGINT       NOT NULL
);

CREATE TABLE event_rules (
    bus                 VARCHAR(256) NOT NULL REFERENCES event_buses (name) ON DELETE CASCADE,
    name                VARCHAR(64)  NOT NULL,
    event_pattern       TEXT,
    schedule_expression VARCHAR(256),
    state               VARCHAR(64)  NOT NULL,
    description         VARCHAR(512),
    role_arn            VARCHAR(1600),
    schedule_start_ms   BIGINT       NOT NULL,
    last_fired_ms       BIGINT,
    PRIMARY KEY (bus, name)
);

CREATE TABLE event_targets (
    bus        VARCHAR(256)  NOT NULL,
    rule       VARCHAR(64)   NOT NULL,
    id         VARCHAR(64)   NOT NULL,
    arn        VARCHAR(1600) NOT NULL,
    definition TEXT          NOT NULL,
    PRIMARY KEY (bus, rule, id),
    FOREIGN KEY (bus, rule) REFERENCES event_rules (bus, name) ON DELETE CASCADE
);

CREATE INDEX event_targets_by_arn ON event_targets (arn);

-- Tags of buses (rule '') and rules, gone with what they tag.
CREATE TABLE event_tags (
    bus       VARCHAR(256) NOT NULL,
    rule      VARCHAR(64)  NOT NULL,
    tag_key   VARCHAR(128) NOT NULL,
    tag_value VARCHAR(256) NOT NULL,
    PRIMARY KEY (bus, rule, tag_key)
);
