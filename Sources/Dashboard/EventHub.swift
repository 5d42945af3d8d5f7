import EventHTTP
import JSON
import PaystackCore
import Platform
import Sandbox
import Webhooks

/// `GET /_sandbox/events`: the sandbox's changes as Server-Sent Events — `request` (a journal
/// entry), `customer` (`{integration, domain, customer_code, change}`), `webhook` (a delivery, on
/// each change), `reset` (`{integration}`), `clock` (`{now, frozen}`). Each event is written once
/// and handed to every open stream; the loops write them out without blocking (`EventStream`).
public final class EventHub: Sendable {
    private let store: CustomerStore
    private let journal: RequestJournal?
    private let webhooks: WebhookDispatcher
    private let streams = LockedValue<[ObjectIdentifier: EventStream]>([:])
    /// The feeds' subscription ids, while any stream is open.
    private let subscriptions = LockedValue<[(Int, @Sendable (Int) -> Void)]>([])

    public init(store: CustomerStore, journal: RequestJournal?, webhooks: WebhookDispatcher) {
        self.store = store
        self.journal = journal
        self.webhooks = webhooks
    }

    /// Streams open now.
    public var openStreams: Int { streams.withLock { $0.count } }

    /// The answer to `GET /_sandbox/events`: a stream that gets every event from now on.
    public func respond() -> HTTPResponse {
        let stream = EventStream()
        let id = ObjectIdentifier(stream)
        let first = streams.withLock { streams -> Bool in
            streams[id] = stream
            return streams.count == 1
        }
        if first { subscribe() }
        stream.onClose { [self] in
            let last = streams.withLock { streams -> Bool in
                streams.removeValue(forKey: id)
                return streams.isEmpty
            }
            if last { unsubscribe() }
        }
        var headers = HTTPHeaders()
        headers.set("Content-Type", "text/event-stream")
        headers.set("Cache-Control", "no-store")
        headers.set("X-Accel-Buffering", "no")
        return HTTPResponse(status: 200, headers: headers, body: Array("retry: 2000\n: connected\n\n".utf8), stream: stream)
    }

    /// Sends one event to every open stream.
    func broadcast(_ name: String, _ write: (inout JSONWriter) -> Void) {
        let open = streams.withLock { Array($0.values) }
        guard !open.isEmpty else { return }
        var writer = JSONWriter(capacity: 1024)
        write(&writer)
        let frame = EventStream.frame(event: name, data: writer.bytes)
        for stream in open { stream.send(frame) }
    }

    private func subscribe() {
        var made: [(Int, @Sendable (Int) -> Void)] = []
        let changes = store.changes
        made.append((changes.subscribe { [self] change in
            switch change {
            case .customer(let integration, let domain, let code, let kind):
                broadcast("customer") { writer in
                    writer.beginObject()
                    writer.key("integration"); writer.int(integration)
                    writer.key("domain"); writer.plainString(domain.rawValue)
                    writer.key("customer_code"); writer.string(code)
                    writer.key("change"); writer.plainString(kind.rawValue)
                    writer.endObject()
                }
            case .reset(let integration):
                broadcast("reset") { writer in
                    writer.beginObject()
                    writer.key("integration"); if let integration { writer.int(integration) } else { writer.null() }
                    writer.endObject()
                }
            }
        }, { changes.unsubscribe($0) }))
        let clock = store.clock
        made.append((clock.changes.subscribe { [self] now in
            let frozen = clock.isFrozen
            broadcast("clock") { writer in
                writer.beginObject()
                writer.key("now"); writer.timestamp(now)
                writer.key("frozen"); writer.bool(frozen)
                writer.endObject()
            }
        }, { clock.changes.unsubscribe($0) }))
        let updates = webhooks.updates
        made.append((updates.subscribe { [self] delivery in
            broadcast("webhook") { delivery.write(&$0) }
        }, { updates.unsubscribe($0) }))
        if let recorded = journal?.recorded {
            made.append((recorded.subscribe { [self] entry in
                broadcast("request") { entry.write(&$0) }
            }, { recorded.unsubscribe($0) }))
        }
        subscriptions.withLock { $0 = made }
    }

    private func unsubscribe() {
        let made = subscriptions.withLock { made in
            defer { made.removeAll() }
            return made
        }
        for (id, remove) in made { remove(id) }
    }
}
