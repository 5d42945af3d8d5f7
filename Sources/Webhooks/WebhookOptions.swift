/// How identification outcomes and webhook deliveries behave (`--kyc-*`, `--webhook-*`).
public struct WebhookOptions: Sendable {
    /// Time from an accepted identification to its outcome (`--kyc-delay`).
    public var kycDelayMilliseconds: Int
    public var kycOutcome: KYCOutcomeMode
    /// Target of integrations without a webhook URL of their own (`--webhook-url`).
    public var defaultURL: String?
    /// Waits before the second, third, … attempt (`--webhook-retries`, default 1s,5s,30s,2m).
    public var retryMilliseconds: [Int]
    /// How long one attempt may take (`--webhook-timeout`).
    public var timeoutMilliseconds: Int
    /// Deliveries `GET /_sandbox/webhooks` keeps.
    public var historySize: Int
    /// A CA trusted for `https://` targets besides the system's (`--webhook-ca-file`).
    public var caFile: String?
    /// No verification of `https://` targets (`--webhook-insecure`).
    public var insecure: Bool

    public static let defaultRetries = [1_000, 5_000, 30_000, 120_000]

    public init(
        kycDelayMilliseconds: Int = 2_000, kycOutcome: KYCOutcomeMode = .rules, defaultURL: String? = nil,
        retryMilliseconds: [Int] = WebhookOptions.defaultRetries, timeoutMilliseconds: Int = 30_000, historySize: Int = 1_000,
        caFile: String? = nil, insecure: Bool = false
    ) {
        self.kycDelayMilliseconds = kycDelayMilliseconds
        self.kycOutcome = kycOutcome
        self.defaultURL = defaultURL
        self.retryMilliseconds = retryMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.historySize = historySize
        self.caFile = caFile
        self.insecure = insecure
    }
}

/// `--kyc-outcome`: every identification succeeds, every one fails, or the README's rules decide.
public enum KYCOutcomeMode: String, Sendable, CaseIterable {
    case success, failed, rules
}
