import EventHTTP
import JSON
import PaystackAPI
import PaystackCore
import Platform

/// The request journal.
extension SandboxAPI {
    /// `GET /_sandbox/requests`: the journal, newest first; filters `method`, `path` (a pattern with
    /// `*`), `status`, `integration`, `since` (a date), `contains` (text in the path, query, body or
    /// answer), and `limit` (default all it holds).
    func listRequests(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        guard let journal else { throw PaystackError.notFound(SandboxMessages.journalOff) }
        var filter = JournalFilter()
        let query = request.query
        if let text = query["method"] {
            guard let method = HTTPMethod(rawValue: text.asciiUppercased) else { throw PaystackError.invalid(SandboxMessages.faultMethodInvalid) }
            filter.method = method
        }
        if let path = query["path"], !path.isEmpty { filter.path = path }
        if let text = query["contains"], !text.isEmpty { filter.contains = Array(text.utf8) }
        if let text = query["status"] {
            guard let status = Int(text), (100...599).contains(status) else { throw PaystackError.invalid(SandboxMessages.journalStatusInvalid) }
            filter.status = status
        }
        if let text = query["integration"] {
            if let id = Int(text) {
                filter.integration = id
            } else if let account = store.account(forSecretKey: text) {
                filter.integration = account.integration.id
            } else {
                throw PaystackError.notFound(SandboxMessages.unknownIntegration)
            }
        }
        if let text = query["since"] {
            guard let since = Timestamp.parse(text) else { throw PaystackError.invalid(SandboxMessages.sinceMustBeDate) }
            filter.since = since.timestamp
        }
        var limit = journal.capacity
        if let text = query["limit"] {
            guard let value = Int(text), value >= 1 else { throw PaystackError.invalid(SandboxMessages.limitInvalid) }
            limit = value
        }
        let entries = journal.entries(matching: filter, limit: limit)
        return success(SandboxMessages.requests, capacity: 1024 + entries.count * 1024) { writer in
            writer.beginArray()
            for entry in entries { entry.write(&writer) }
            writer.endArray()
        } meta: { writer in
            writer.beginObject()
            writer.key("total"); writer.int(entries.count)
            writer.key("capacity"); writer.int(journal.capacity)
            writer.endObject()
        }
    }

    func clearRequests() throws(PaystackError) -> HTTPResponse {
        guard let journal else { throw PaystackError.notFound(SandboxMessages.journalOff) }
        journal.clear()
        return success(SandboxMessages.requestsCleared)
    }
}

extension JournalEntry {
    /// The entry as `GET /_sandbox/requests` lists it.
    public func write(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.int(sequence + 1)
        writer.key("time"); writer.timestamp(time)
        writer.key("method"); writer.plainString(method.rawValue)
        writer.key("path"); writer.string(path)
        writer.key("query"); writer.string(query)
        writer.key("headers")
        writer.beginObject()
        for (name, value) in headers {
            writer.key(escaping: name.asciiLowercased)
            writer.string(value)
        }
        writer.endObject()
        writer.key("body"); writer.string(String(decoding: body, as: UTF8.self))
        writer.key("status"); writer.int(status)
        writer.key("response_body"); writer.string(String(decoding: responseBody, as: UTF8.self))
        writer.key("duration_ms"); writer.double(Double(durationMicroseconds) / 1000)
        writer.key("integration"); if let integration { writer.int(integration) } else { writer.null() }
        writer.endObject()
    }
}
