import EventHTTP
import JSON
import PaystackAPI
import Platform

/// Fault rules: forced statuses and delays for matching requests.
extension SandboxAPI {
    /// `POST /_sandbox/faults`: `{method, path, status, message, delay_ms, times, probability}`;
    /// `path` (default `*`) may use `*`; at least one of `status` and `delay_ms`.
    func addFault(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        let body = try RequestBody(request)
        var method: HTTPMethod?
        if let text = try body.string("method") {
            guard let parsed = HTTPMethod(rawValue: text.asciiUppercased) else { throw PaystackError.invalid(SandboxMessages.faultMethodInvalid) }
            method = parsed
        }
        let path = try body.string("path") ?? "*"
        let status = try integer(body, "status", in: 400...599, SandboxMessages.faultStatusInvalid)
        let delay = try integer(body, "delay_ms", in: 0...RequestPipeline.maximumDelayMilliseconds, SandboxMessages.mockDelayInvalid)
        let times = try integer(body, "times", in: 1...1_000_000_000, SandboxMessages.faultTimesInvalid)
        var probability = 1.0
        switch body.fields["probability"] {
        case nil: break
        case .number(let text)? where Double(text).map({ (0...1).contains($0) }) == true: probability = Double(text)!
        default: throw PaystackError.invalid(SandboxMessages.faultProbabilityInvalid)
        }
        guard status != nil || delay != nil else { throw PaystackError.invalid(SandboxMessages.faultNeedsAnEffect) }
        let rule = faults.add(FaultRule(
            id: 0, method: method, path: path, status: status, message: try body.string("message"), delayMs: delay ?? 0,
            times: times, probability: probability))
        return success(SandboxMessages.faultAdded) { writeFault(rule, &$0) }
    }

    func listFaults() -> HTTPResponse {
        let rules = faults.all
        return success(SandboxMessages.faults) { writer in
            writer.beginArray()
            for rule in rules { writeFault(rule, &writer) }
            writer.endArray()
        }
    }

    func clearFaults() -> HTTPResponse {
        faults.clear()
        return success(SandboxMessages.faultsCleared)
    }

    private func writeFault(_ rule: FaultRule, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.int(rule.id)
        writer.key("method"); writer.string(rule.method?.rawValue)
        writer.key("path"); writer.string(rule.path)
        writer.key("status"); if let status = rule.status { writer.int(status) } else { writer.null() }
        writer.key("message"); writer.string(rule.message)
        writer.key("delay_ms"); writer.int(rule.delayMs)
        writer.key("times"); if let times = rule.times { writer.int(times) } else { writer.null() }
        writer.key("probability"); writer.double(rule.probability)
        writer.endObject()
    }
}
