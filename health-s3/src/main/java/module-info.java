/** S3-compatible bucket checks over the application's own AWS SDK v2 client ({@code S3Check}, {@code BucketProbe}). */
// the AWS SDK jars are automatic modules with stable Automatic-Module-Names (software.amazon.awssdk.*), the S3 clients
// are in the API; "module": the name ends in a digit (s3), kept as the published Automatic-Module-Name
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic", "module"})
module io.vigil.health.s3 {
    requires transitive io.vigil.health;
    requires transitive software.amazon.awssdk.services.s3;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.regions;

    exports io.vigil.health.s3;
}
