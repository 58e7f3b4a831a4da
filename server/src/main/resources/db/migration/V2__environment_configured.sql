-- Whether a request has set Environment, even to no variables: AWS then shows "Environment": {"Variables": {}}.
ALTER TABLE functions ADD COLUMN environment_configured BOOLEAN NOT NULL DEFAULT FALSE;
