//! The catalog of every task type and operation that the identity service
//! records in its task log, with the console area that owns it, a short
//! label, the tenant option it needs and the console route of its form.
//!
//! Task type strings are kept byte for byte as other systems read them from
//! the task log, including the misspelt `reset.passsword`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A paid option of the tenant that unlocks some operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantOption {
    PremiumFederation,
    Mfa,
}

impl TenantOption {
    pub const ALL: [TenantOption; 2] = [TenantOption::PremiumFederation, TenantOption::Mfa];

    /// The identifier used on the command line and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            TenantOption::PremiumFederation => "premium_federation",
            TenantOption::Mfa => "mfa",
        }
    }

    /// The option's product name, as shown to administrators.
    pub fn title(self) -> &'static str {
        match self {
            TenantOption::PremiumFederation => "Premium Federation Option",
            TenantOption::Mfa => "Multi-Factor Authentication Option",
        }
    }

    /// Parses an identifier such as `mfa`; returns `None` for unknown names.
    pub fn parse(name: &str) -> Option<TenantOption> {
        TenantOption::ALL.into_iter().find(|option| option.as_str() == name.trim())
    }
}

impl fmt::Display for TenantOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A navigation area of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Users,
    Groups,
    BulkImport,
    Applications,
    Security,
    Organization,
    Branding,
    Emails,
    Federation,
}

impl Area {
    pub const ALL: [Area; 9] = [
        Area::Users,
        Area::Groups,
        Area::BulkImport,
        Area::Applications,
        Area::Security,
        Area::Organization,
        Area::Branding,
        Area::Emails,
        Area::Federation,
    ];

    /// The heading shown in the console navigation.
    pub fn title(self) -> &'static str {
        match self {
            Area::Users => "Users",
            Area::Groups => "Groups",
            Area::BulkImport => "Bulk import",
            Area::Applications => "Applications",
            Area::Security => "Security",
            Area::Organization => "Organization",
            Area::Branding => "Branding",
            Area::Emails => "Notification emails",
            Area::Federation => "Federation",
        }
    }

    /// The console route of the area's landing page.
    pub fn route(self) -> &'static str {
        match self {
            Area::Users => "/users",
            Area::Groups => "/groups",
            Area::BulkImport => "/bulk-import",
            Area::Applications => "/applications",
            Area::Security => "/security",
            Area::Organization => "/organization",
            Area::Branding => "/branding",
            Area::Emails => "/emails",
            Area::Federation => "/federation",
        }
    }
}

/// One type/operation pair of the task log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationSpec {
    pub task_type: &'static str,
    pub operation: &'static str,
    pub area: Area,
    pub label: &'static str,
    pub option: Option<TenantOption>,
    /// The console route of the form that performs the operation, or `None`
    /// while the console has no form for it. Routes with a `:id` segment
    /// act on one record, which the administrator picks from the area's list.
    pub form: Option<&'static str>,
}

const PF: Option<TenantOption> = Some(TenantOption::PremiumFederation);
const MFA: Option<TenantOption> = Some(TenantOption::Mfa);

const fn op(
    task_type: &'static str,
    operation: &'static str,
    area: Area,
    label: &'static str,
    option: Option<TenantOption>,
    form: Option<&'static str>,
) -> OperationSpec {
    OperationSpec { task_type, operation, area, label, option, form }
}

use Area::*;

/// Every type/operation pair, in the order of the service's specification.
pub const OPERATIONS: &[OperationSpec] = &[
    op("create.user", "create", Users, "Create a user", None, Some("/users/new")),
    op("update.user", "update", Users, "Edit a user", None, Some("/users/:id")),
    op("remove.user", "remove", Users, "Move a user to pending deletion", None, Some("/users/:id")),
    op(
        "restore.user",
        "restore",
        Users,
        "Restore a user from pending deletion",
        None,
        Some("/users/:id"),
    ),
    op(
        "auto_delete.user",
        "auto_delete",
        Users,
        "Delete users left in pending deletion",
        None,
        None,
    ),
    op("erase.user", "erase", Users, "Erase a user for good", None, Some("/users/:id")),
    op("create.group", "create", Groups, "Create a group", None, None),
    op("update.group", "update", Groups, "Edit a group", None, None),
    op("member_mod.group", "join", Groups, "Add members to a group", None, None),
    op("member_mod.group", "leave", Groups, "Remove members from a group", None, None),
    op("delete.group", "delete", Groups, "Delete a group", None, None),
    op("grant.admin_priv", "grant", Users, "Grant administrator rights", None, None),
    op("revoke.admin_priv", "revoke", Users, "Revoke administrator rights", None, None),
    op("reset.passsword", "reset", Users, "Reset a user's password", None, None),
    op("delete.smartkey_setting", "delete", Users, "Unlink a user's SmartKey", None, None),
    op("create.acl", "create", Security, "Add a trusted network", None, None),
    op("update.acl", "update", Security, "Edit a trusted network", None, None),
    op("delete.acl", "delete", Security, "Delete a trusted network", None, None),
    op(
        "validate.user",
        "validate",
        BulkImport,
        "Check a users CSV",
        None,
        Some("/bulk-import/users"),
    ),
    op(
        "validate.user",
        "integrity_check",
        BulkImport,
        "Look for duplicates and conflicts in a users CSV",
        None,
        Some("/bulk-import/users"),
    ),
    op(
        "validate.user",
        "csv_validation",
        BulkImport,
        "Check the format and fields of a users CSV",
        None,
        Some("/bulk-import/users"),
    ),
    op(
        "validate.group",
        "validate",
        BulkImport,
        "Check a groups CSV",
        None,
        Some("/bulk-import/groups"),
    ),
    op(
        "validate.group",
        "integrity_check",
        BulkImport,
        "Look for duplicates and conflicts in a groups CSV",
        None,
        Some("/bulk-import/groups"),
    ),
    op(
        "validate.group",
        "csv_validation",
        BulkImport,
        "Check the format and fields of a groups CSV",
        None,
        Some("/bulk-import/groups"),
    ),
    op(
        "validate.group_member",
        "validate",
        BulkImport,
        "Check a group members CSV",
        None,
        Some("/bulk-import/group-members"),
    ),
    op(
        "validate.group_member",
        "integrity_check",
        BulkImport,
        "Look for duplicates and conflicts in a group members CSV",
        None,
        Some("/bulk-import/group-members"),
    ),
    op(
        "validate.group_member",
        "csv_validation",
        BulkImport,
        "Check the format and fields of a group members CSV",
        None,
        Some("/bulk-import/group-members"),
    ),
    op(
        "import.user",
        "create",
        BulkImport,
        "Create users from a CSV",
        None,
        Some("/bulk-import/users"),
    ),
    op(
        "import.user",
        "update",
        BulkImport,
        "Update users from a CSV",
        None,
        Some("/bulk-import/users"),
    ),
    op(
        "import.user",
        "delete",
        BulkImport,
        "Move users from a CSV to pending deletion",
        None,
        Some("/bulk-import/users"),
    ),
    op(
        "import.group",
        "create",
        BulkImport,
        "Create groups from a CSV",
        None,
        Some("/bulk-import/groups"),
    ),
    op(
        "import.group",
        "update",
        BulkImport,
        "Update groups from a CSV",
        None,
        Some("/bulk-import/groups"),
    ),
    op(
        "import.group",
        "delete",
        BulkImport,
        "Delete groups from a CSV",
        None,
        Some("/bulk-import/groups"),
    ),
    op(
        "import.group_member",
        "update",
        BulkImport,
        "Add group members from a CSV",
        None,
        Some("/bulk-import/group-members"),
    ),
    op(
        "import.group_member",
        "delete",
        BulkImport,
        "Remove group members from a CSV",
        None,
        Some("/bulk-import/group-members"),
    ),
    op("create.app_user", "create", Applications, "Add an application user", None, None),
    op("update.app_user", "update", Applications, "Edit an application user", None, None),
    op("delete.app_user", "delete", Applications, "Delete an application user", None, None),
    op("create.app_group", "create", Applications, "Add an application group", None, None),
    op("update.app_group", "update", Applications, "Edit an application group", None, None),
    op("delete.app_group", "delete", Applications, "Delete an application group", None, None),
    op("create.organization", "create", Organization, "Add a domain", None, None),
    op(
        "verify.organization",
        "verify",
        Organization,
        "Verify that the tenant owns a domain",
        None,
        None,
    ),
    op("update.organization", "update", Organization, "Edit a domain", None, None),
    op("delete.organization", "delete", Organization, "Delete a domain", None, None),
    op("update.system", "update", Organization, "Edit system information", None, None),
    op(
        "update.tenant_hint",
        "update",
        Organization,
        "Set the display customization URL",
        None,
        None,
    ),
    op(
        "delete.tenant_hint",
        "delete",
        Organization,
        "Clear the display customization URL",
        None,
        None,
    ),
    op("update.tenant_security", "update", Security, "Edit tenant security settings", None, None),
    op(
        "update.pw_change_finish",
        "update",
        Emails,
        "Edit the password changed email",
        None,
        Some("/emails/pw_change_finish/:language"),
    ),
    op(
        "update.pw_expiration",
        "update",
        Emails,
        "Edit the password expired email",
        None,
        Some("/emails/pw_expiration/:language"),
    ),
    op(
        "update.account_creation",
        "update",
        Emails,
        "Edit the new account email",
        None,
        Some("/emails/account_creation/:language"),
    ),
    op(
        "update.account_lock",
        "update",
        Emails,
        "Edit the account locked email",
        None,
        Some("/emails/account_lock/:language"),
    ),
    op(
        "update.issue_tmp_pass",
        "update",
        Emails,
        "Edit the temporary password email",
        None,
        Some("/emails/issue_tmp_pass/:language"),
    ),
    op(
        "update.pw_reset_request",
        "update",
        Emails,
        "Edit the password reset link email",
        None,
        Some("/emails/pw_reset_request/:language"),
    ),
    op(
        "update.failure_tmp_pass",
        "update",
        Emails,
        "Edit the temporary password unavailable email",
        None,
        Some("/emails/failure_tmp_pass/:language"),
    ),
    op(
        "update.disable_mfa",
        "update",
        Emails,
        "Edit the disable multi-factor request email",
        MFA,
        Some("/emails/disable_mfa/:language"),
    ),
    op(
        "update.finished_job",
        "update",
        Emails,
        "Edit the job finished email",
        None,
        Some("/emails/finished_job/:language"),
    ),
    op(
        "update.mail_otp",
        "update",
        Emails,
        "Edit the one-time password email",
        MFA,
        Some("/emails/mail_otp/:language"),
    ),
    op("update.tenant_logo", "update", Branding, "Change the logo", None, Some("/branding/logo")),
    op(
        "update.theme",
        "update",
        Branding,
        "Change the theme colours",
        None,
        Some("/branding/theme"),
    ),
    op(
        "update.footer_link",
        "update",
        Branding,
        "Edit the footer links",
        None,
        Some("/branding/footer-links"),
    ),
    op(
        "update.login_link",
        "update",
        Branding,
        "Edit the sign-in screen link",
        None,
        Some("/branding/login-link"),
    ),
    op("create.login_policy", "create", Security, "Add a login policy", None, None),
    op("update.login_policy", "update", Security, "Edit a login policy", None, None),
    op("delete.login_policy", "delete", Security, "Delete a login policy", None, None),
    op("create.custom_app", "create", Applications, "Add a custom application", PF, None),
    op("update.custom_app", "update", Applications, "Edit a custom application", PF, None),
    op("delete.custom_app", "delete", Applications, "Delete a custom application", PF, None),
    op("import.msonline_user", "import", Federation, "Import users from Azure AD", None, None),
    op(
        "import.msonline_user",
        "check_limit",
        Federation,
        "Check the Azure AD removal rate limit",
        None,
        None,
    ),
    op("import.msonline_group", "import", Federation, "Import groups from Azure AD", None, None),
    op(
        "import.msonline_member",
        "import",
        Federation,
        "Import group members from Azure AD",
        None,
        None,
    ),
    op("export.msonline_user", "create", Federation, "Create users in Azure AD", PF, None),
    op("export.msonline_user", "update", Federation, "Update users in Azure AD", PF, None),
    op("export.msonline_user", "delete", Federation, "Delete users in Azure AD", PF, None),
    op("export.msonline_group", "create", Federation, "Create groups in Azure AD", PF, None),
    op("export.msonline_group", "update", Federation, "Update groups in Azure AD", PF, None),
    op("export.msonline_group", "delete", Federation, "Delete groups in Azure AD", PF, None),
    op(
        "export.msonline_group_member",
        "add",
        Federation,
        "Add group members in Azure AD",
        PF,
        None,
    ),
    op(
        "export.msonline_group_member",
        "remove",
        Federation,
        "Remove group members in Azure AD",
        PF,
        None,
    ),
    op(
        "export.msonline_license",
        "update",
        Federation,
        "Update user licenses in Azure AD",
        PF,
        None,
    ),
    op("create.export_group", "create", Applications, "Export a group to an application", PF, None),
    op(
        "delete.export_group",
        "delete",
        Applications,
        "Stop exporting a group to an application",
        PF,
        None,
    ),
    op("export.scim_user", "create", Federation, "Create users on the SCIM server", PF, None),
    op("export.scim_user", "update", Federation, "Update users on the SCIM server", PF, None),
    op("export.scim_user", "delete", Federation, "Delete users on the SCIM server", PF, None),
    op("export.scim_group", "create", Federation, "Create groups on the SCIM server", PF, None),
    op("export.scim_group", "update", Federation, "Update groups on the SCIM server", PF, None),
    op("export.scim_group", "delete", Federation, "Delete groups on the SCIM server", PF, None),
    op(
        "export.scim_group_member",
        "add",
        Federation,
        "Add group members on the SCIM server",
        PF,
        None,
    ),
    op(
        "export.scim_group_member",
        "remove",
        Federation,
        "Remove group members on the SCIM server",
        PF,
        None,
    ),
    op("create.upstream_idp", "create", Federation, "Add an upstream identity provider", PF, None),
    op("update.upstream_idp", "update", Federation, "Edit an upstream identity provider", PF, None),
    op(
        "delete.upstream_idp",
        "delete",
        Federation,
        "Delete an upstream identity provider",
        PF,
        None,
    ),
];

/// Finds the catalog entry of a type/operation pair.
pub fn find(task_type: &str, operation: &str) -> Option<&'static OperationSpec> {
    OPERATIONS.iter().find(|spec| spec.task_type == task_type && spec.operation == operation)
}

/// A type/operation pair that the server records. Using these constants
/// instead of string literals lets a test prove that every recorded pair is in
/// the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskKind {
    pub task_type: &'static str,
    pub operation: &'static str,
}

pub mod kinds {
    use super::TaskKind;

    const fn kind(task_type: &'static str, operation: &'static str) -> TaskKind {
        TaskKind { task_type, operation }
    }

    pub const CREATE_USER: TaskKind = kind("create.user", "create");
    pub const UPDATE_USER: TaskKind = kind("update.user", "update");
    pub const REMOVE_USER: TaskKind = kind("remove.user", "remove");
    pub const RESTORE_USER: TaskKind = kind("restore.user", "restore");
    pub const ERASE_USER: TaskKind = kind("erase.user", "erase");
    pub const VALIDATE_USER: TaskKind = kind("validate.user", "validate");
    pub const VALIDATE_USER_CSV: TaskKind = kind("validate.user", "csv_validation");
    pub const VALIDATE_USER_INTEGRITY: TaskKind = kind("validate.user", "integrity_check");
    pub const IMPORT_USER_CREATE: TaskKind = kind("import.user", "create");
    pub const IMPORT_USER_UPDATE: TaskKind = kind("import.user", "update");
    pub const IMPORT_USER_DELETE: TaskKind = kind("import.user", "delete");
    pub const VALIDATE_GROUP: TaskKind = kind("validate.group", "validate");
    pub const VALIDATE_GROUP_CSV: TaskKind = kind("validate.group", "csv_validation");
    pub const VALIDATE_GROUP_INTEGRITY: TaskKind = kind("validate.group", "integrity_check");
    pub const IMPORT_GROUP_CREATE: TaskKind = kind("import.group", "create");
    pub const IMPORT_GROUP_UPDATE: TaskKind = kind("import.group", "update");
    pub const IMPORT_GROUP_DELETE: TaskKind = kind("import.group", "delete");
    pub const VALIDATE_MEMBER: TaskKind = kind("validate.group_member", "validate");
    pub const VALIDATE_MEMBER_CSV: TaskKind = kind("validate.group_member", "csv_validation");
    pub const VALIDATE_MEMBER_INTEGRITY: TaskKind =
        kind("validate.group_member", "integrity_check");
    /// The specification names adding members an update of the membership.
    pub const IMPORT_MEMBER_ADD: TaskKind = kind("import.group_member", "update");
    pub const IMPORT_MEMBER_REMOVE: TaskKind = kind("import.group_member", "delete");

    pub const UPDATE_THEME: TaskKind = kind("update.theme", "update");
    pub const UPDATE_TENANT_LOGO: TaskKind = kind("update.tenant_logo", "update");
    pub const UPDATE_FOOTER_LINK: TaskKind = kind("update.footer_link", "update");
    pub const UPDATE_LOGIN_LINK: TaskKind = kind("update.login_link", "update");
    pub const UPDATE_PW_CHANGE_FINISH: TaskKind = kind("update.pw_change_finish", "update");
    pub const UPDATE_PW_EXPIRATION: TaskKind = kind("update.pw_expiration", "update");
    pub const UPDATE_ACCOUNT_CREATION: TaskKind = kind("update.account_creation", "update");
    pub const UPDATE_ACCOUNT_LOCK: TaskKind = kind("update.account_lock", "update");
    pub const UPDATE_ISSUE_TMP_PASS: TaskKind = kind("update.issue_tmp_pass", "update");
    pub const UPDATE_PW_RESET_REQUEST: TaskKind = kind("update.pw_reset_request", "update");
    pub const UPDATE_FAILURE_TMP_PASS: TaskKind = kind("update.failure_tmp_pass", "update");
    pub const UPDATE_DISABLE_MFA: TaskKind = kind("update.disable_mfa", "update");
    pub const UPDATE_FINISHED_JOB: TaskKind = kind("update.finished_job", "update");
    pub const UPDATE_MAIL_OTP: TaskKind = kind("update.mail_otp", "update");

    /// The branding and notification email pairs the server records, all
    /// of which are also in [`RECORDED`] now that the console has their forms.
    pub const BRANDING_RECORDED: &[TaskKind] = &[
        UPDATE_THEME,
        UPDATE_TENANT_LOGO,
        UPDATE_FOOTER_LINK,
        UPDATE_LOGIN_LINK,
        UPDATE_PW_CHANGE_FINISH,
        UPDATE_PW_EXPIRATION,
        UPDATE_ACCOUNT_CREATION,
        UPDATE_ACCOUNT_LOCK,
        UPDATE_ISSUE_TMP_PASS,
        UPDATE_PW_RESET_REQUEST,
        UPDATE_FAILURE_TMP_PASS,
        UPDATE_DISABLE_MFA,
        UPDATE_FINISHED_JOB,
        UPDATE_MAIL_OTP,
    ];

    /// Every pair the reference server records today.
    pub const RECORDED: &[TaskKind] = &[
        CREATE_USER,
        UPDATE_USER,
        REMOVE_USER,
        RESTORE_USER,
        ERASE_USER,
        VALIDATE_USER,
        VALIDATE_USER_CSV,
        VALIDATE_USER_INTEGRITY,
        IMPORT_USER_CREATE,
        IMPORT_USER_UPDATE,
        IMPORT_USER_DELETE,
        VALIDATE_GROUP,
        VALIDATE_GROUP_CSV,
        VALIDATE_GROUP_INTEGRITY,
        IMPORT_GROUP_CREATE,
        IMPORT_GROUP_UPDATE,
        IMPORT_GROUP_DELETE,
        VALIDATE_MEMBER,
        VALIDATE_MEMBER_CSV,
        VALIDATE_MEMBER_INTEGRITY,
        IMPORT_MEMBER_ADD,
        IMPORT_MEMBER_REMOVE,
        UPDATE_THEME,
        UPDATE_TENANT_LOGO,
        UPDATE_FOOTER_LINK,
        UPDATE_LOGIN_LINK,
        UPDATE_PW_CHANGE_FINISH,
        UPDATE_PW_EXPIRATION,
        UPDATE_ACCOUNT_CREATION,
        UPDATE_ACCOUNT_LOCK,
        UPDATE_ISSUE_TMP_PASS,
        UPDATE_PW_RESET_REQUEST,
        UPDATE_FAILURE_TMP_PASS,
        UPDATE_DISABLE_MFA,
        UPDATE_FINISHED_JOB,
        UPDATE_MAIL_OTP,
    ];
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn catalog_has_95_pairs_of_72_types() {
        let types: HashSet<&str> = OPERATIONS.iter().map(|spec| spec.task_type).collect();
        assert_eq!(OPERATIONS.len(), 95);
        assert_eq!(types.len(), 72);
    }

    #[test]
    fn catalog_pairs_are_unique() {
        let mut seen = HashSet::new();
        for spec in OPERATIONS {
            assert!(seen.insert((spec.task_type, spec.operation)), "{spec:?} is listed twice");
        }
    }

    #[test]
    fn password_reset_type_keeps_spec_spelling() {
        assert!(find("reset.passsword", "reset").is_some());
        assert!(find("reset.password", "reset").is_none());
    }

    #[test]
    fn mfa_emails_need_mfa_option() {
        assert_eq!(find("update.disable_mfa", "update").map(|s| s.option), Some(MFA));
        assert_eq!(find("update.mail_otp", "update").map(|s| s.option), Some(MFA));
    }

    #[test]
    fn premium_federation_pairs_count() {
        let count = OPERATIONS.iter().filter(|spec| spec.option == PF).count();
        assert_eq!(count, 25);
    }

    #[test]
    fn recorded_kinds_are_in_catalog_with_forms() {
        for kind in kinds::RECORDED {
            let spec = find(kind.task_type, kind.operation);
            assert!(spec.is_some(), "{kind:?} is not in the catalog");
            assert!(spec.and_then(|s| s.form).is_some(), "{kind:?} has no form");
        }
    }

    #[test]
    fn branding_kinds_are_in_catalog() {
        assert_eq!(kinds::BRANDING_RECORDED.len(), 14);
        for kind in kinds::BRANDING_RECORDED {
            let spec = find(kind.task_type, kind.operation);
            assert!(spec.is_some(), "{kind:?} is not in the catalog");
            assert!(kinds::RECORDED.contains(kind), "{kind:?} is missing from RECORDED");
        }
    }

    #[test]
    fn tenant_option_parses_its_identifiers() {
        assert_eq!(TenantOption::parse("mfa"), Some(TenantOption::Mfa));
        assert_eq!(
            TenantOption::parse(" premium_federation"),
            Some(TenantOption::PremiumFederation)
        );
        assert_eq!(TenantOption::parse("premium"), None);
    }
}
