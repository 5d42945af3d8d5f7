import JSON
import PaystackCore

/// Paystack's customer shapes. Member order follows Paystack's own responses (contract section 4).
public enum CustomerShape: Sendable {
    /// `POST /customer`.
    case created
    /// An item of `GET /customer`.
    case listItem
    /// `GET /customer/{code}`: the largest, with `created_at`/`updated_at` repeated.
    case fetched
    /// `PUT /customer/{code}` and `POST /customer/set_risk_action`.
    case updated
}

extension JSONWriter {
    public mutating func customer(_ customer: Customer, _ shape: CustomerShape) {
        beginObject()
        switch shape {
        case .created:
            // Written on every create (the other shapes are mostly served from a cache): member
            // names in runs with their punctuation, one copy each.
            fragment(#""transactions":[],"subscriptions":[],"authorizations":["#)
            for authorization in customer.authorizations { self.authorization(authorization) }
            fragment(#"],"email":"#); string(customer.email)
            fragment(#","first_name":"#); string(customer.firstName)
            fragment(#","last_name":"#); string(customer.lastName)
            fragment(#","phone":"#); string(customer.phone)
            fragment(#","integration":"#); int(customer.integration)
            fragment(#","domain":"#); plainString(customer.domain.rawValue)
            fragment(#","metadata":"#); metadata(customer.metadata)
            fragment(#","customer_code":"#); plainString(customer.customerCode)
            fragment(#","risk_action":"#); plainString(customer.riskAction.rawValue)
            fragment(#","id":"#); int(customer.id)
            createdAtAndUpdatedAt(customer)
            identification(customer)
        case .listItem:
            customerListMembers(customer)
        case .fetched:
            emptyRelations(customer)
            names(customer)
            codeRiskIDIntegrationAndTimes(customer)
            key("created_at"); timestamp(customer.createdAt)
            key("updated_at"); timestamp(customer.updatedAt)
            key("total_transactions"); int(0)
            key("total_transaction_value"); beginArray(); endArray()
            key("dedicated_account"); null()
            key("dedicated_accounts"); beginArray(); endArray()
            identification(customer)
        case .updated:
            emptyRelations(customer)
            names(customer)
            identification(customer)
            codeRiskIDIntegrationAndTimes(customer)
        }
        endObject()
    }

    /// The members of a list item (`GET /customer`), without the braces.
    public mutating func customerListMembers(_ customer: Customer) {
        key("integration"); int(customer.integration)
        key("first_name"); string(customer.firstName)
        key("last_name"); string(customer.lastName)
        key("email"); string(customer.email)
        key("phone"); string(customer.phone)
        key("metadata"); metadata(customer.metadata)
        key("domain"); plainString(customer.domain.rawValue)
        key("customer_code"); plainString(customer.customerCode)
        key("risk_action"); plainString(customer.riskAction.rawValue)
        key("id"); int(customer.id)
        createdAtAndUpdatedAt(customer)
    }

    /// The members that follow the names in the fetch and update shapes, in Paystack's order.
    private mutating func codeRiskIDIntegrationAndTimes(_ customer: Customer) {
        key("customer_code"); plainString(customer.customerCode)
        key("risk_action"); plainString(customer.riskAction.rawValue)
        key("id"); int(customer.id)
        key("integration"); int(customer.integration)
        createdAtAndUpdatedAt(customer)
    }

    /// `createdAt` and `updatedAt`; the date is formatted once when they are equal, as after a
    /// create (~500 instructions each).
    private mutating func createdAtAndUpdatedAt(_ customer: Customer) {
        key("createdAt")
        if customer.createdAt == customer.updatedAt {
            customer.createdAt.withISO8601 { text in
                rawValue(text)
                key("updatedAt")
                rawValue(text)
            }
        } else {
            timestamp(customer.createdAt)
            key("updatedAt"); timestamp(customer.updatedAt)
        }
    }

    /// `transactions` and `subscriptions` (always empty: the mock has no charges) and `authorizations`.
    private mutating func emptyRelations(_ customer: Customer) {
        key("transactions"); beginArray(); endArray()
        key("subscriptions"); beginArray(); endArray()
        key("authorizations")
        beginArray()
        for authorization in customer.authorizations { self.authorization(authorization) }
        endArray()
    }

    private mutating func names(_ customer: Customer) {
        key("first_name"); string(customer.firstName)
        key("last_name"); string(customer.lastName)
        key("email"); string(customer.email)
        key("phone"); string(customer.phone)
        key("metadata"); metadata(customer.metadata)
        key("domain"); plainString(customer.domain.rawValue)
    }

    private mutating func identification(_ customer: Customer) {
        key("identified"); bool(customer.identified)
        key("identifications"); identifications(customer.identifications)
    }

    /// An authorization in Paystack's shape.
    public mutating func authorization(_ authorization: Authorization) {
        beginObject()
        authorizationMembers(authorization)
        endObject()
    }
}
