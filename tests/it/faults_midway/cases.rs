//! The matrix's rows (a command and the backend that fails) and columns (the faults).

use crate::support::midway::Strike;

pub(super) const PARALLEL: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cmd {
    Backup,
    Restore,
    Update,
    Config,
    Storage,
    Scale,
    Window,
    DeployApply,
    MaintainRollback,
    DeployRollback,
}

/// Which backend takes the fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
    Kube,
    Grafana,
    Es,
    Helm,
}

impl Target {
    pub(super) fn name(self) -> &'static str {
        match self {
            Target::Kube => "kubernetes",
            Target::Grafana => "grafana",
            Target::Es => "elasticsearch",
            Target::Helm => "helm",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Fault {
    Before,
    AfterFirst,
    RollbackFails,
    /// SIGTERM while the k-th change (1-based) is under way.
    Sigterm(usize),
}

impl Fault {
    pub(super) fn name(self) -> String {
        match self {
            Fault::Before => "before the first change".into(),
            Fault::AfterFirst => "after the first change".into(),
            Fault::RollbackFails => "the rollback failing".into(),
            Fault::Sigterm(k) => format!("SIGTERM at change {k}"),
        }
    }

    pub(super) fn strike(self) -> Strike {
        match self {
            Fault::Before => Strike::Down { after: 0 },
            Fault::AfterFirst => Strike::Blip { after: 1 },
            Fault::RollbackFails => Strike::Down { after: 1 },
            Fault::Sigterm(k) => Strike::Hold { at: k },
        }
    }
}

pub(super) struct Case {
    pub(super) cmd: Cmd,
    pub(super) target: Target,
    /// Every change's inverse is `keep` (a backup, a snapshot): a healthy run changes nothing
    /// [`super::Stage::state`] reads, so the healthy check looks for the backup instead. (Its
    /// rollback has nothing to undo: a fault after its first change ends in exit 3, as
    /// `nothing_to_undo` sees.)
    pub(super) all_kept: bool,
    /// What the command keeps by design, left out of the comparison.
    pub(super) kept: &'static str,
}

pub(super) const CASES: &[Case] = &[
    Case {
        cmd: Cmd::Backup,
        target: Target::Es,
        all_kept: true,
        kept: "the snapshot; a failed backup leaves no directory",
    },
    Case {
        cmd: Cmd::Restore,
        target: Target::Kube,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::Restore,
        target: Target::Grafana,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::Update,
        target: Target::Helm,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::Config,
        target: Target::Kube,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::Storage,
        target: Target::Es,
        all_kept: false,
        kept: "the snapshot",
    },
    Case {
        cmd: Cmd::Scale,
        target: Target::Kube,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::Window,
        target: Target::Kube,
        all_kept: false,
        kept: "the backup directory and the annotation; the silence, compared, is expired",
    },
    Case {
        cmd: Cmd::Window,
        target: Target::Grafana,
        all_kept: false,
        kept: "the backup directory and the annotation; the silence, compared, is expired",
    },
    Case {
        cmd: Cmd::DeployApply,
        target: Target::Kube,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::DeployApply,
        target: Target::Helm,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::MaintainRollback,
        target: Target::Kube,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::DeployRollback,
        target: Target::Kube,
        all_kept: false,
        kept: "",
    },
];

impl Case {
    pub(super) fn label(&self) -> String {
        let cmd = match self.cmd {
            Cmd::Backup => "maintain backup",
            Cmd::Restore => "maintain restore",
            Cmd::Update => "maintain update",
            Cmd::Config => "maintain config",
            Cmd::Storage => "maintain storage",
            Cmd::Scale => "maintain scale",
            Cmd::Window => "maintain window",
            Cmd::DeployApply => "deploy apply",
            Cmd::MaintainRollback => "maintain rollback",
            Cmd::DeployRollback => "deploy rollback",
        };
        format!("{cmd} / {}", self.target.name())
    }

    pub(super) fn is_rollback(&self) -> bool {
        matches!(self.cmd, Cmd::MaintainRollback | Cmd::DeployRollback)
    }

    pub(super) fn is_deploy(&self) -> bool {
        matches!(self.cmd, Cmd::DeployApply | Cmd::DeployRollback)
    }
}
