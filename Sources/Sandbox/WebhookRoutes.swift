import EventHTTP
import JSON
import PaystackAPI
import PaystackCore
import Webhooks

/// The webhook routes of the admin API: targets, the delivery log, redelivery and a test event.
extension SandboxAPI {
    /// `GET /_sandbox/webhook`: every integration's current target.
    func webhookTargets() -> HTTPResponse {
        let integrations = store.integrations
        return success(SandboxMessages.webhookTargets) { writer in
            writer.beginArray()
            for integration in integrations { writeTarget(integration, &writer) }
            writer.endArray()
        }
    }

    /// `PUT /_sandbox/webhook` with `{"integration": ID or secret key, "url": "http://…"}`; a null
    /// `url` goes back to the seed's URL or `--webhook-url`.
    func setWebhookTarget(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        let body = try RequestBody(request)
        guard let target = body.fields["integration"] else { throw PaystackError.missing("integration") }
        let books = try books(named: target)
        switch body.fields["url"] {
        case nil: throw PaystackError.missing("url")
        case .null?: webhooks.setURL(nil, for: books.integration.id)
        case .string(let url)?: webhooks.setURL(try deliverableURL(url), for: books.integration.id)
        default: throw PaystackError.invalid(SandboxMessages.webhookURLInvalid)
        }
        return success(SandboxMessages.webhookTargetSet) { writeTarget(books.integration, &$0) }
    }

    private func writeTarget(_ integration: Integration, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("integration"); writer.int(integration.id)
        writer.key("url"); writer.string(webhooks.url(for: integration))
        writer.endObject()
    }

    /// `GET /_sandbox/webhooks`: deliveries newest first, each with its attempts; filters
    /// `integration` (id or secret key) and `limit` (default all it holds).
    func listWebhooks(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        let query = request.query
        var integration: Int?
        if let text = query["integration"] {
            if let id = Int(text) {
                integration = id
            } else if let account = store.account(forSecretKey: text) {
                integration = account.integration.id
            } else {
                throw PaystackError.notFound(SandboxMessages.unknownIntegration)
            }
        }
        var limit = Int.max
        if let text = query["limit"] {
            guard let value = Int(text), value >= 1 else { throw PaystackError.invalid(SandboxMessages.limitInvalid) }
            limit = value
        }
        let deliveries = webhooks.recent(integration: integration, limit: limit)
        return success(SandboxMessages.webhooks, capacity: 1024 + deliveries.count * 1024) { writer in
            writer.beginArray()
            for delivery in deliveries { writeDelivery(delivery, &writer) }
            writer.endArray()
        }
    }

    func clearWebhooks() -> HTTPResponse {
        webhooks.clear()
        return success(SandboxMessages.webhooksCleared)
    }

    /// `POST /_sandbox/webhooks/{id}/redeliver`: the same body and signature, a new schedule of attempts.
    func redeliverWebhook(_ idText: String) throws(PaystackError) -> HTTPResponse {
        guard let id = Int(idText), let delivery = webhooks.redeliver(id) else {
            throw PaystackError.notFound(SandboxMessages.webhookNotFound)
        }
        guard delivery.url != nil else { throw PaystackError.invalid(SandboxMessages.webhookHasNoURL) }
        return success(SandboxMessages.webhookRedelivering) { writeDelivery(delivery, &$0) }
    }

    /// `POST /_sandbox/webhooks/test` with `{"integration", "domain", "url"}` (all optional): a
    /// signed `customeridentification.success` with the contract's sample data, to check a receiver.
    func testWebhook(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        let body = try RequestBody(request)
        var integration: Integration
        var domain: Domain?
        if let target = body.fields["integration"] {
            integration = try books(named: target).integration
            if case .string(let key) = target, let account = store.account(forSecretKey: key) { domain = account.domain }
        } else {
            guard let first = store.integrations.first else { throw PaystackError.notFound(SandboxMessages.unknownIntegration) }
            integration = first
        }
        if let text = try body.string("domain") {
            guard let given = Domain(rawValue: text) else { throw PaystackError.invalid(SandboxMessages.domainInvalid) }
            domain = given
        }
        let chosen = domain ?? (integration.secretKeys[.test] != nil ? .test : .live)
        guard integration.secretKeys[chosen] != nil else { throw PaystackError.invalid(SandboxMessages.noKeyInDomain(chosen)) }
        var url: String?
        if let given = try body.string("url") {
            url = try deliverableURL(given)
        }
        guard url != nil || webhooks.url(for: integration) != nil else { throw PaystackError.invalid(SandboxMessages.webhookHasNoURL) }
        let delivery = webhooks.send(event: "customeridentification.success", integration: integration, domain: chosen, url: url) { writer in
            writer.beginObject()
            writer.key("customer_id"); writer.int(9_387_490_384)
            writer.key("customer_code"); writer.plainString("CUS_xnxdt6s1zg1f4nx")
            writer.key("email"); writer.plainString("bojack@horsinaround.com")
            writer.key("identification")
            writer.beginObject()
            writer.key("country"); writer.plainString("NG")
            writer.key("type"); writer.plainString("bank_account")
            writer.key("bvn"); writer.plainString("200*****677")
            writer.key("account_number"); writer.plainString("012****789")
            writer.key("bank_code"); writer.plainString("007")
            writer.endObject()
            writer.endObject()
        }
        guard let delivery else { throw PaystackError.invalid(SandboxMessages.noKeyInDomain(chosen)) }
        return success(SandboxMessages.webhookTestSent) { writeDelivery(delivery, &$0) }
    }

    func writeDelivery(_ delivery: WebhookDelivery, _ writer: inout JSONWriter) {
        delivery.write(&writer)
    }
}

extension WebhookDelivery {
    /// The delivery as `GET /_sandbox/webhooks` lists it.
    public func write(_ writer: inout JSONWriter) {
        let delivery = self
        writer.beginObject()
        writer.key("id"); writer.int(delivery.id)
        writer.key("event"); writer.string(delivery.event)
        writer.key("integration"); writer.int(delivery.integration)
        writer.key("domain"); writer.plainString(delivery.domain.rawValue)
        writer.key("url"); writer.string(delivery.url)
        writer.key("state"); writer.plainString(delivery.state.rawValue)
        writer.key("body"); writer.string(String(decoding: delivery.body, as: UTF8.self))
        writer.key("signature"); writer.plainString(delivery.signature)
        writer.key("createdAt"); writer.timestamp(delivery.createdAt)
        writer.key("attempts")
        writer.beginArray()
        for attempt in delivery.attempts {
            writer.beginObject()
            writer.key("time"); writer.timestamp(attempt.time)
            writer.key("status"); if let status = attempt.status { writer.int(status) } else { writer.null() }
            writer.key("error"); writer.string(attempt.error)
            writer.key("duration_ms"); writer.double(Double(attempt.durationMicroseconds) / 1000)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }
}

/// `text` when the webhook client can deliver to it, else the 400 saying why.
func deliverableURL(_ text: String) throws(PaystackError) -> String {
    switch DeliveryTarget.parse(text) {
    case .success: return text
    case .failure(let error): throw PaystackError.invalid(SandboxMessages.webhookURLUndeliverable(error.description))
    }
}

/// Why a webhook URL among `integrations` (from a seed or a state document) cannot be delivered
/// to, naming the integration; nil when all can.
public func undeliverableWebhookURL(in integrations: [Integration]) -> String? {
    for integration in integrations {
        guard let url = integration.webhookURL, case .failure(let error) = DeliveryTarget.parse(url) else { continue }
        return "integration \(integration.id): webhook_url \(url) cannot be delivered to (\(error.description))"
    }
    return nil
}
