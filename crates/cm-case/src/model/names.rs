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
    /// What the client of a linked case is to this case's client (`links`).
    pub Relation {
        Mother = "mother",
        Father = "father",
        Child = "child",
        Sibling = "sibling",
        Spouse = "spouse",
        Guardian = "guardian",
        Ward = "ward",
        Other = "other",
    }
);

impl Relation {
    /// Whether `back`, written in the linked case, is the mirror of this link: what this case's
    /// client is to the linked one's (a `mother`'s mirror is a `child`, a `child`'s a `mother` or
    /// a `father`).
    pub fn mirrored_by(self, back: Relation) -> bool {
        use Relation::*;
        match self {
            Mother | Father => back == Child,
            Child => matches!(back, Mother | Father),
            Guardian => back == Ward,
            Ward => back == Guardian,
            Sibling | Spouse | Other => back == self,
        }
    }

    /// The mirror `cm link` writes in the linked case when this case's client is `sex`: a
    /// `child`'s is `mother` or `father` by this client's sex, `other` when it is not known.
    pub fn mirror(self, sex: Option<Sex>) -> Relation {
        use Relation::*;
        match self {
            Mother | Father => Child,
            Child => match sex {
                Some(Sex::Female) => Mother,
                Some(Sex::Male) => Father,
                _ => Other,
            },
            Guardian => Ward,
            Ward => Guardian,
            Sibling | Spouse | Other => self,
        }
    }
}

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

cm_base::names!(
    /// How a contact was made.
    pub ContactType {
        HomeVisit = "home-visit",
        OfficeVisit = "office-visit",
        Phone = "phone",
        Message = "message",
        Group = "group",
        Other = "other",
    }
);

cm_base::names!(
    /// A decision of the client about consent, after the first (`consent.updates`): consent
    /// given (again, or to other organisations), refused when asked, or withdrawn.
    pub ConsentDecision {
        Given = "given",
        Refused = "refused",
        Withdrawn = "withdrawn",
    }
);

cm_base::names!(
    /// Why a provider declined a referral (an update to `declined`).
    pub DeclineReason {
        ClientRefused = "client-refused",
        NoCapacity = "no-capacity",
        NotEligible = "not-eligible",
        NotNeeded = "not-needed",
        ClientUnreachable = "client-unreachable",
        ProviderUnreachable = "provider-unreachable",
        Other = "other",
    }
);

impl ServiceStatus {
    /// The statuses a service in this one may move to: referred → accepted, declined,
    /// cancelled; accepted → in-progress, completed, declined, cancelled; in-progress →
    /// completed, cancelled; none from completed, declined or cancelled.
    pub fn moves(self) -> &'static [ServiceStatus] {
        use ServiceStatus::*;
        match self {
            Referred => &[Accepted, Declined, Cancelled],
            Accepted => &[InProgress, Completed, Declined, Cancelled],
            InProgress => &[Completed, Cancelled],
            Completed | Declined | Cancelled => &[],
        }
    }

    /// Whether the service has ended: completed, declined or cancelled.
    pub fn is_final(self) -> bool {
        self.moves().is_empty()
    }
}
