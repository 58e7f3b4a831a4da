-- A function version's DeadLetterConfig.TargetArn (an SQS queue's ARN), '' when it has none. Part of the version's
-- configuration, so a published version keeps the one it was published with, as on AWS.
ALTER TABLE functions ADD COLUMN dead_letter_target VARCHAR(1024) NOT NULL DEFAULT '';
ALTER TABLE function_versions ADD COLUMN dead_letter_target VARCHAR(1024) NOT NULL DEFAULT '';
