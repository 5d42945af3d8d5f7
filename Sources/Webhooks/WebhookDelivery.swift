import PaystackCore

/// One event sent (or to be sent) to an integration's webhook URL, with every attempt.
public struct WebhookDelivery: Sendable {
    public enum State: String, Sendable {
        /// Waiting for an attempt or between attempts.
        case pending
        /// A receiver answered 200.
        case delivered
        /// Every attempt of the schedule failed.
        case failed
        /// The integration has no webhook URL: kept here, never sent.
        case noURL = "no_url"
    }

    public struct Attempt: Sendable {
        public var time: Timestamp
        public var status: Int?
        public var error: String?
        public var durationMicroseconds: Int
    }

    public var id: Int
    public var event: String
    public var integration: Int
    public var domain: Domain
    public var url: String?
    /// The exact bytes sent, and their signature.
    public var body: [UInt8]
    public var signature: String
    public var createdAt: Timestamp
    public var state: State
    public var attempts: [Attempt]
    /// Attempts made in the current schedule (a redelivery starts a new one).
    var attemptsInSchedule = 0
}
