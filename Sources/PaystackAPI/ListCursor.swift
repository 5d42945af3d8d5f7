import JSON
import Platform

/// `GET /customer`'s cursors: base64 of `customer:<id>` (contract section 4), written and read here.
enum ListCursor {
    static func write(_ id: Int?, _ writer: inout JSONWriter) {
        if let id { writer.plainString(Base64.encode("customer:\(id)")) } else { writer.null() }
    }

    /// The id a cursor names; nil for none given; 400 `Invalid cursor` for anything else.
    static func read(_ text: String?) throws(PaystackError) -> Int? {
        guard let text else { return nil }
        guard let decoded = Base64.decode(text), decoded.hasPrefix("customer:"),
              let id = Int(decoded.dropFirst("customer:".count)), id >= 0
        else { throw PaystackError.invalid(Messages.invalidCursor) }
        return id
    }
}
