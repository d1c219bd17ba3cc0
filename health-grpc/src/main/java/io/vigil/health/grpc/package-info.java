/**
 * The standard gRPC health service ({@code grpc.health.v1.Health}) answered by a Vigil
 * {@link io.vigil.health.HealthRegistry}: {@link io.vigil.health.grpc.VigilHealthService} is a
 * {@link io.grpc.BindableService} for the application's own gRPC server, so that Kubernetes' {@code grpc:} probes,
 * Envoy and gRPC clients see the same outcome as the HTTP endpoints. grpc-java itself is the application's
 * dependency ({@code grpc-api}, {@code grpc-stub}, {@code grpc-protobuf}, {@code grpc-services}).
 */
@NullMarked
package io.vigil.health.grpc;

import org.jspecify.annotations.NullMarked;
