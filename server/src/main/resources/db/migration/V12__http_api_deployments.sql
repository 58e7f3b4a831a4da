-- Deployments of HTTP APIs (CreateDeployment), and the deployment a stage serves. A stage serves requests when it
-- deploys itself (AutoDeploy) or has a deployment; Kindling's deployments record that the API was deployed and
-- when, and a stage with one serves the API's current routes (docs/http-apis.md).
CREATE TABLE http_api_deployments (
    api_id          VARCHAR(10)   NOT NULL REFERENCES http_apis (api_id) ON DELETE CASCADE,
    deployment_id   VARCHAR(6)    NOT NULL,
    description     VARCHAR(1024),
    created_ms      BIGINT        NOT NULL,
    PRIMARY KEY (api_id, deployment_id)
);

ALTER TABLE http_api_stages ADD COLUMN deployment_id VARCHAR(6);

-- Who may call a route: NONE (anyone) or AWS_IAM (a SigV4 signature for execute-api).
ALTER TABLE http_api_routes ADD COLUMN authorization_type VARCHAR(16) NOT NULL DEFAULT 'NONE';
