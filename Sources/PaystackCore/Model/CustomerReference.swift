import Platform

/// How a path or body names a customer: Paystack takes the code or the email (and, in older docs, the id).
public enum CustomerReference: Sendable, Equatable {
    case id(Int)
    case email(String)
    case code(String)

    public init(_ text: String) {
        if !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let id = Int(text) {
            self = .id(id)
        } else if text.containsByte(UInt8(ascii: "@")) {
            self = .email(text)
        } else {
            self = .code(text)
        }
    }
}

extension CustomerReference {
    /// Codes and emails of the other domain get Paystack's "invalid for your … domain" answer; ids do not.
    var isCodeOrEmail: Bool {
        if case .id = self { return false }
        return true
    }
}
