//! The closed sets of names a case uses — programs, risks, phases, sex, the status of a goal or
//! of a service, why a case was closed — and the order of the phases.

cm_base::names!(
    /// The programs an agency runs.
    pub Program {
        ChildProtection = "child-protection",
        Disability = "disability",
        FemaleHeadedHousehold = "female-headed-household",
        OlderPerson = "older-person",
        General = "general",
    }
);

cm_base::names!(
    /// The current risk of harm; it sets the review interval.
    pub Risk {
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
);

cm_base::names!(
    /// The six phases of case management, in their one allowed order.
    pub Phase {
        Intake = "intake",
        Assessment = "assessment",
        Planning = "planning",
        Implementation = "implementation",
        Monitoring = "monitoring",
        Closed = "closed",
    }
);

impl Phase {
    /// The phase after this one, if any.
    pub fn next(self) -> Option<Phase> {
        Phase::ALL
            .iter()
            .position(|p| *p == self)
            .and_then(|i| Phase::ALL.get(i + 1))
            .copied()
    }
}

cm_base::names!(
    /// `client.sex`.
    pub Sex {
        Female = "female",
        Male = "male",
        Other = "other",
        Unknown = "unknown",
    }
);

cm_base::names!(
    /// Where a goal stands.
    pub GoalStatus {
        Active = "active",
        Achieved = "achieved",
        PartlyAchieved = "partly-achieved",
        NotAchieved = "not-achieved",
        Dropped = "dropped",
    }
);

cm_base::names!(
    /// Where a referral or service stands.
    pub ServiceStatus {
        Referred = "referred",
        Accepted = "accepted",
        InProgress = "in-progress",
        Completed = "completed",
        Declined = "declined",
        Cancelled = "cancelled",
    }
);

cm_base::names!(
    /// Why a case was closed.
    pub ClosureReason {
        GoalsAchieved = "goals-achieved",
        Transferred = "transferred",
        ClientWithdrew = "client-withdrew",
        LostContact = "lost-contact",
        Moved = "moved",
        Deceased = "deceased",
        Other = "other",
    }
);
