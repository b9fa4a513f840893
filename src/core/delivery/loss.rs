//! Why a message was lost: every message that is not delivered is counted under one reason, so a
//! host can show and test what was lost and why.
/// The reasons a message can be lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LossReason {
    /// Larger than the 32 KB message limit (never truncated or split).
    Oversize,
    /// Older than the maximum age after the collector answered with errors.
    TooOld,
    /// The collector rejected it (a 4xx other than 408/429, or 501/505).
    Rejected,
    /// The storage cap was reached: the oldest stored messages were dropped.
    StorageFull,
    /// Collection was turned off before it was sent.
    PurgedByOptOut,
    /// Older than the maximum age without the collector ever answering (offline for a day, or a
    /// blocker in the way).
    Blocked,
}

crate::words::word!(LossReason);

impl LossReason {
    pub const ALL: [LossReason; 6] = [
        LossReason::Oversize,
        LossReason::TooOld,
        LossReason::Rejected,
        LossReason::StorageFull,
        LossReason::PurgedByOptOut,
        LossReason::Blocked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LossReason::Oversize => "oversize",
            LossReason::TooOld => "too_old",
            LossReason::Rejected => "rejected",
            LossReason::StorageFull => "storage_full",
            LossReason::PurgedByOptOut => "purged_by_opt_out",
            LossReason::Blocked => "blocked",
        }
    }
}
