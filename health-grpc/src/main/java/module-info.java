/** The standard gRPC health service ({@code grpc.health.v1.Health}) backed by a Vigil registry. */
// gRPC's jars are automatic modules with stable Automatic-Module-Names (io.grpc, io.grpc.stub, io.grpc.services)
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.vigil.health.grpc {
    requires transitive io.vigil.health;
    requires transitive io.grpc;
    requires io.grpc.stub;
    requires io.grpc.services;
    requires org.slf4j;
    requires static transitive org.jspecify; // @Nullable in the exported API

    exports io.vigil.health.grpc;
}
