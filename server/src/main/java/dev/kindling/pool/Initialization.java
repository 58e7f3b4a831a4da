package dev.kindling.pool;

/** Why an environment is started, as AWS tells the function in AWS_LAMBDA_INITIALIZATION_TYPE. */
public enum Initialization {
    /** Started for an invocation that found no warm environment: a cold start. */
    ON_DEMAND("on-demand"),
    /** Started ahead of traffic for provisioned concurrency. */
    PROVISIONED("provisioned-concurrency");

    private final String awsName;

    Initialization(String awsName) {
        this.awsName = awsName;
    }

    /** The value of AWS_LAMBDA_INITIALIZATION_TYPE. */
    public String awsName() {
        return awsName;
    }
}
