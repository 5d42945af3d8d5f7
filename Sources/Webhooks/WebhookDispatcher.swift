import CTLS
import EventHTTP
import JSON
import PaystackCore
import Platform
import Synchronization

/// Signs and delivers webhooks on the background loop, retrying on the configured schedule, and
/// keeps the recent deliveries for `GET /_sandbox/webhooks`.
public final class WebhookDispatcher: Sendable {
    public static let userAgent = "Paystack/2.0"

    let store: CustomerStore
    let options: WebhookOptions
    private let loop: BackgroundLoop
    private let overrides = LockedValue<[Int: String]>([:])
    private let deliveries = LockedValue<[WebhookDelivery]>([])
    private let nextID = Atomic<Int>(1)
    /// Told of a delivery when it is made and after each change (an attempt, a new state).
    public let updates = Broadcast<WebhookDelivery>()

    public init(store: CustomerStore, options: WebhookOptions, loop: BackgroundLoop) {
        self.store = store
        self.options = options
        self.loop = loop
    }

    // MARK: Targets

    /// Where an integration's events go: `PUT /_sandbox/webhook`'s URL, else its seed URL, else `--webhook-url`.
    public func url(for integration: Integration) -> String? {
        overrides.withLock { $0[integration.id] } ?? integration.webhookURL ?? options.defaultURL
    }

    /// Sets (or, with nil, removes) the run-time URL of an integration.
    public func setURL(_ url: String?, for integration: Int) {
        overrides.withLock { $0[integration] = url }
    }

    // MARK: Sending

    /// `x-paystack-signature`: lowercase hex HMAC-SHA512 of the body, keyed with the secret key.
    public static func signature(of body: [UInt8], key: String) -> String {
        var hex = [CChar](repeating: 0, count: 129)
        let status = body.withUnsafeBytes { body in
            Array(key.utf8).withUnsafeBytes { key in
                ctls_hmac_sha512_hex(key.baseAddress, key.count, body.baseAddress, body.count, &hex)
            }
        }
        precondition(status == 0, "HMAC-SHA512 failed in OpenSSL")
        return String(cBuffer: hex)
    }

    /// Builds `{"event": …, "data": …}`, signs it with the integration's secret key of `domain` and
    /// starts delivering it (to `url` when given, else the integration's URL).
    @discardableResult
    public func send(
        event: String, integration: Integration, domain: Domain, url: String? = nil, data: (inout JSONWriter) -> Void
    ) -> WebhookDelivery? {
        guard let key = integration.secretKeys[domain] else { return nil }
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.key("event"); writer.string(event)
        writer.key("data"); data(&writer)
        writer.endObject()
        let body = writer.bytes
        let target = url ?? self.url(for: integration)
        let delivery = WebhookDelivery(
            id: nextID.wrappingAdd(1, ordering: .relaxed).oldValue, event: event, integration: integration.id,
            domain: domain, url: target, body: body, signature: Self.signature(of: body, key: key),
            createdAt: store.clock.now(), state: target == nil ? .noURL : .pending, attempts: [])
        deliveries.withLock { list in
            list.append(delivery)
            if list.count > options.historySize { list.removeFirst(list.count - options.historySize) }
        }
        updates.publish(delivery)
        if target != nil { attempt(delivery.id) }
        return delivery
    }

    /// Starts a new schedule of attempts for a recorded delivery (its body and signature unchanged).
    public func redeliver(_ id: Int) -> WebhookDelivery? {
        let found: WebhookDelivery? = deliveries.withLock { list in
            guard let index = list.firstIndex(where: { $0.id == id }) else { return nil }
            guard list[index].url != nil else { return list[index] }
            list[index].state = .pending
            list[index].attemptsInSchedule = 0
            return list[index]
        }
        if let found { updates.publish(found) }
        if let found, found.url != nil { attempt(id) }
        return found
    }

    private func attempt(_ id: Int) {
        guard let delivery = deliveries.withLock({ list in list.first { $0.id == id } }), let url = delivery.url else { return }
        let started = monotonicNanoseconds()
        let headers = [
            ("Content-Type", "application/json"), ("User-Agent", Self.userAgent), ("x-paystack-signature", delivery.signature),
        ]
        loop.post(url: url, headers: headers, body: delivery.body, timeoutMilliseconds: options.timeoutMilliseconds) { [self] outcome in
            let made = WebhookDelivery.Attempt(
                time: store.clock.now(), status: outcome.status, error: outcome.error,
                durationMicroseconds: Int((monotonicNanoseconds() - started) / 1000))
            let (retryAfter, updated): (Int?, WebhookDelivery?) = deliveries.withLock { list in
                guard let index = list.firstIndex(where: { $0.id == id }) else { return (nil, nil) }
                list[index].attempts.append(made)
                list[index].attemptsInSchedule += 1
                if outcome == .status(200) {
                    list[index].state = .delivered
                    return (nil, list[index])
                }
                let count = list[index].attemptsInSchedule
                guard count <= options.retryMilliseconds.count else {
                    list[index].state = .failed
                    return (nil, list[index])
                }
                return (options.retryMilliseconds[count - 1], list[index])
            }
            if let updated { updates.publish(updated) }
            if let retryAfter {
                loop.schedule(afterMilliseconds: retryAfter) { [self] in attempt(id) }
            }
        }
    }

    // MARK: History

    /// Deliveries still waiting for an attempt or a retry.
    public var pending: [WebhookDelivery] { deliveries.withLock { $0.filter { $0.state == .pending } } }

    /// Recorded deliveries, newest first.
    public var all: [WebhookDelivery] { recent(integration: nil, limit: Int.max) }

    /// The newest `limit` recorded deliveries, of one integration or of all, newest first.
    public func recent(integration: Int?, limit: Int) -> [WebhookDelivery] {
        deliveries.withLock { list in
            var found: [WebhookDelivery] = []
            for delivery in list.reversed() where integration == nil || delivery.integration == integration {
                if found.count == limit { break }
                found.append(delivery)
            }
            return found
        }
    }

    public func clear() {
        deliveries.withLock { $0.removeAll() }
    }
}

extension BackgroundLoop.Outcome {
    var status: Int? {
        if case .status(let code) = self { return code }
        return nil
    }

    var error: String? {
        switch self {
        case .status(200): nil
        case .status(let code): "answered \(code)"
        case .failed(let reason): reason
        }
    }
}

/// Paystack's masking in webhook payloads: the first 3 and last 3 characters stay, the rest are `*`.
public func maskedIdentifier(_ value: String) -> String {
    let characters = Array(value)
    guard characters.count > 6 else { return String(repeating: "*", count: characters.count) }
    return String(characters[..<3]) + String(repeating: "*", count: characters.count - 6) + String(characters[(characters.count - 3)...])
}
