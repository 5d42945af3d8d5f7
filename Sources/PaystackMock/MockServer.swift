import EventHTTP
import Logging
import Platform
import Webhooks

/// The one owner of every thread of a running mock: the HTTP event loops and the background loop
/// (timers, webhook deliveries). `start` starts them all or none; `stop` drains and joins them all.
public final class MockServer: Sendable {
    public let application: Application
    public let http: HTTPServer

    public init(application: Application, configuration: HTTPServerConfiguration, logger: Logger) {
        self.application = application
        self.http = HTTPServer(configuration: configuration, responder: application.responder, logger: logger)
    }

    public var port: Int { http.port }

    public func start() throws {
        try application.background.start()
        do {
            try http.start()
        } catch {
            application.background.stop(deadlineNanoseconds: 0)
            throw error
        }
    }

    /// What a stop left undone.
    public struct ShutdownReport: Sendable, Equatable {
        /// Deliveries that still had attempts or retries to come.
        public var pendingDeliveries: [Int]
        /// Identifications whose outcome was not decided yet.
        public var undecidedIdentifications: Int

        public var isEmpty: Bool { pendingDeliveries.isEmpty && undecidedIdentifications == 0 }
    }

    /// Stops accepting, lets answers in progress and webhook attempts in flight finish (within the
    /// configuration's grace period), then joins every thread. What remains is abandoned and reported.
    @discardableResult
    public func stop() -> ShutdownReport {
        let deadline = monotonicNanoseconds() + UInt64(http.configuration.shutdownGraceSeconds) * 1_000_000_000
        http.shutdown()
        application.background.stop(deadlineNanoseconds: deadline)
        http.wait()
        return ShutdownReport(
            pendingDeliveries: application.webhooks.pending.map(\.id).sorted(),
            undecidedIdentifications: application.identifications.pending)
    }
}
