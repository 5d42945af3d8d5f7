import EventHTTP
import PaystackCore
import Platform

/// The query of `GET /customer`: `perPage`, `page`, `from`, `to`, `use_cursor`, `next`, `previous`.
public struct ListQuery: Sendable, Equatable {
    public static let defaultPerPage = 50

    public var from: Timestamp?
    public var to: Timestamp?
    public var page: PageRequest

    public init(_ query: QueryParameters) throws(PaystackError) {
        let perPage = try positiveInteger(query, "perPage") ?? Self.defaultPerPage
        let number = try positiveInteger(query, "page") ?? 1
        from = try date(query["from"], message: Messages.invalidFromDate, endOfDay: false)
        to = try date(query["to"], message: Messages.invalidToDate, endOfDay: true)
        var useCursor = false
        if let text = query["use_cursor"] {
            switch text.asciiLowercased {
            case "true": useCursor = true
            case "false": useCursor = false
            default: throw PaystackError.invalid(Messages.mustBeBoolean("use_cursor"))
            }
        }
        let next = try ListCursor.read(query["next"])
        let previous = try ListCursor.read(query["previous"])
        // A cursor given without use_cursor still pages by cursor: that is what the client asked for.
        if useCursor || next != nil || previous != nil {
            page = .cursor(after: next, before: next == nil ? previous : nil, perPage: perPage)
        } else {
            page = .offset(page: number, perPage: perPage)
        }
    }
}

private func positiveInteger(_ query: QueryParameters, _ name: String) throws(PaystackError) -> Int? {
    guard let text = query[name] else { return nil }
    let trimmed = text.trimmingSpaces
    if trimmed.isEmpty { throw PaystackError.invalid(Messages.mustBeNumber(name)) }
    if let value = Int(trimmed) {
        guard value >= 1 else { throw PaystackError.invalid(Messages.mustBeAtLeastOne(name)) }
        // Joi's numbers stop at JavaScript's largest safe integer.
        guard value <= 9_007_199_254_740_991 else { throw PaystackError.invalid(Messages.mustBeSafeNumber(name)) }
        return value
    }
    // Joi-style wording: a decimal is a number but not an integer; anything else is not a number.
    if let value = Double(trimmed), value.isFinite {
        if value < 1 { throw PaystackError.invalid(Messages.mustBeAtLeastOne(name)) }
        if value > 9_007_199_254_740_991 { throw PaystackError.invalid(Messages.mustBeSafeNumber(name)) }
        throw PaystackError.invalid(Messages.mustBeInteger(name))
    }
    throw PaystackError.invalid(Messages.mustBeNumber(name))
}

/// A `from`/`to` filter. A bare date as `to` covers that whole day (contract: inclusive).
private func date(_ text: String?, message: String, endOfDay: Bool) throws(PaystackError) -> Timestamp? {
    guard let text else { return nil }
    guard let parsed = Timestamp.parse(text) else { throw PaystackError.invalid(message) }
    if parsed.isDateOnly && endOfDay {
        return Timestamp(seconds: parsed.timestamp.seconds + 86_399)
    }
    return parsed.timestamp
}
