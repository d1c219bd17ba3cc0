/** The standard gRPC health service ({@code grpc.health.v1.Health}) backed by a Vigil registry. */
// "requires-automatic", "requires-transitive-automatic": the grpc-java jars ship no module descriptor, only an
// Automatic-Module-Name, which is stable
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.vigil.health.grpc {
    requires transitive io.vigil.health;
    requires transitive io.grpc;
    requires io.grpc.stub;
    requires io.grpc.services;
    requires org.slf4j;

    exports io.vigil.health.grpc;
}
