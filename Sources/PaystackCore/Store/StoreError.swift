import Platform

/// Why a store operation did not happen; nothing was changed. The API layer turns each case into
/// Paystack's answer.
public enum StoreError: Error, Sendable, Equatable {
    /// No customer of the account's integration and domain has the reference.
    case customerNotFound(CustomerReference)
    /// The reference names a customer of the same integration's other domain (Paystack says so);
    /// `domain` is the account's own.
    case customerInOtherDomain(CustomerReference, domain: Domain)
    /// No active authorization of the account has the code.
    case authorizationNotFound(code: String)
    /// The integration was removed (a new state without it) while the request was on its way.
    case integrationRemoved
    /// The state file could not take the change (`--state-file`).
    case persistenceFailed(SystemError)
}
