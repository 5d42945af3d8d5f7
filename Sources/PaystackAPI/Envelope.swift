import EventHTTP
import JSON

/// Runs a handler, turning a thrown `PaystackError` into its response. (Handlers throw nothing
/// else; closures cannot yet declare a typed throw without spelling it out at every route.)
public func answer(_ handler: () throws -> HTTPResponse) -> HTTPResponse {
    do {
        return try handler()
    } catch let error as PaystackError {
        return error.response
    } catch {
        return PaystackError(status: 500, message: Messages.internalError("\(error)"), code: .unknown).response
    }
}

/// `{"status":true,"message":...,"data":...}`.
/// The writers are non-escaping closures: an optional (hence escaping) one cost an allocation per
/// answer to capture the customer.
public func success(_ message: String, status: Int = 200, capacity: Int = 960, data: (inout JSONWriter) -> Void) -> HTTPResponse {
    envelope(message, status: status, capacity: capacity) { writer in
        writer.key("data")
        data(&writer)
    }
}

/// `{"status":true,"message":...,"data":...,"meta":...}`, for lists.
public func success(
    _ message: String, capacity: Int, data: (inout JSONWriter) -> Void, meta: (inout JSONWriter) -> Void
) -> HTTPResponse {
    envelope(message, status: 200, capacity: capacity) { writer in
        writer.key("data")
        data(&writer)
        writer.key("meta")
        meta(&writer)
    }
}

/// `{"status":true,"message":...}`: an answer without `data`.
public func success(_ message: String, status: Int = 200) -> HTTPResponse {
    envelope(message, status: status, capacity: 64 + message.utf8.count) { _ in }
}

/// The default capacity stays under glibc's 1 KiB "large request" size, whose every allocation
/// first consolidates the free lists (seen at ~2% of server CPU when it was 1024).
private func envelope(_ message: String, status: Int, capacity: Int, members: (inout JSONWriter) -> Void) -> HTTPResponse {
    var writer = JSONWriter(capacity: capacity)
    writer.beginObject()
    writer.key("status"); writer.bool(true)
    writer.key("message"); writer.string(message)
    members(&writer)
    writer.endObject()
    return .json(status, writer.bytes)
}
