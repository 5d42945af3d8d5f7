import EventHTTP

extension CustomerStore {
    /// The account of the request's `Authorization: Bearer <secret key>`, or one of Paystack's three 401s.
    public func authenticate(_ request: HTTPRequest) throws(PaystackError) -> Account {
        guard let header = request.headers["Authorization"], header.contains(where: { $0 != " " && $0 != "\t" }) else {
            throw PaystackError.unauthorized(Messages.noAuthorizationHeader)
        }
        let parts = header.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 2, String(parts[0]).equalsIgnoringASCIICase("Bearer") else {
            throw PaystackError.unauthorized(Messages.badAuthorizationFormat)
        }
        guard let account = account(forSecretKey: String(parts[1])) else {
            throw PaystackError.unauthorized(Messages.invalidKey)
        }
        return account
    }
}
