-- HTTP APIs (API Gateway v2, ProtocolType HTTP): the APIs, their integrations, routes and stages. An API's parts
-- go with it. Integrations name their function by ARN only: deleting a function leaves them in place, and a request
-- routed to one then fails as on AWS (500), so there is no foreign key to functions.
CREATE TABLE http_apis (
    api_id          VARCHAR(10)   PRIMARY KEY,
    name            VARCHAR(128)  NOT NULL,
    -- The API's optional settings as the client gave them (description, version, CORS, tags, ...), as JSON.
    settings        TEXT          NOT NULL,
    created_ms      BIGINT        NOT NULL
);

CREATE TABLE http_api_integrations (
    api_id          VARCHAR(10)   NOT NULL REFERENCES http_apis (api_id) ON DELETE CASCADE,
    integration_id  VARCHAR(7)    NOT NULL,
    integration_uri VARCHAR(2048) NOT NULL,
    payload_format  VARCHAR(8)    NOT NULL,
    timeout_ms      INTEGER       NOT NULL,
    description     VARCHAR(1024),
    -- Made by a quick create (CreateApi with Target): AWS's ApiGatewayManaged.
    managed         BOOLEAN       NOT NULL,
    PRIMARY KEY (api_id, integration_id)
);

CREATE TABLE http_api_routes (
    api_id          VARCHAR(10)   NOT NULL REFERENCES http_apis (api_id) ON DELETE CASCADE,
    route_id        VARCHAR(7)    NOT NULL,
    route_key       VARCHAR(1024) NOT NULL,
    -- integrations/<id>, or NULL for a route with no target yet (it answers 404 until it has one).
    target          VARCHAR(64),
    operation_name  VARCHAR(128),
    managed         BOOLEAN       NOT NULL,
    PRIMARY KEY (api_id, route_id),
    UNIQUE (api_id, route_key)
);

CREATE TABLE http_api_stages (
    api_id          VARCHAR(10)   NOT NULL REFERENCES http_apis (api_id) ON DELETE CASCADE,
    stage_name      VARCHAR(128)  NOT NULL,
    auto_deploy     BOOLEAN       NOT NULL,
    description     VARCHAR(1024),
    -- Stage variables and tags, as JSON objects of strings.
    variables       TEXT          NOT NULL,
    tags            TEXT          NOT NULL,
    managed         BOOLEAN       NOT NULL,
    created_ms      BIGINT        NOT NULL,
    updated_ms      BIGINT        NOT NULL,
    PRIMARY KEY (api_id, stage_name)
);
