package dev.kindling.api;

import dev.kindling.iam.ManagedPolicies;
import dev.kindling.iam.ManagedPolicy;
import dev.kindling.iam.Page;
import dev.kindling.iam.Roles;
import dev.kindling.store.RoleRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * IAM (query protocol, API version 2010-05-08): roles, their inline and attached policies and tags, and managed
 * policies, with each operation's request members and result shapes as the service model has them. Policy documents
 * are answered URL-encoded (RFC 3986), as IAM answers them; the AWS CLI and boto3 decode them.
 */
public final class IamApi implements ApiServer.Service {
    private final Roles roles;
    private final ManagedPolicies policies;
    private final QueryProtocolRouter router =
            new QueryProtocolRouter("iam", "https://iam.amazonaws.com/doc/2010-05-08/", "2010-05-08");

    public IamApi(Roles roles, ManagedPolicies policies) {
        this.roles = roles;
        this.policies = policies;
        router.add("CreateRole", (p, r) -> role(roles.create(p.required("RoleName"),
                p.required("AssumeRolePolicyDocument"), new Roles.Options(p.optional("Path"), p.optional("Description"),
                        p.integer("MaxSessionDuration"), p.tags("Tags")))));
        router.add("GetRole", (p, r) -> role(roles.get(p.required("RoleName"))));
        router.add("ListRoles", (p, r) -> {
            Page<RoleRecord> page = roles.list(p.optional("PathPrefix"), p.optional("Marker"), p.integer("MaxItems"));
            Xml xml = new Xml().open("Roles");
            page.items().forEach(role -> xml.open("member").raw(roleFields(role, false)).close("member"));
            return paged(xml.close("Roles"), page);
        });
        router.add("UpdateRole", (p, r) -> {
            roles.update(p.required("RoleName"), p.optional("Description"), p.integer("MaxSessionDuration"));
            return "";
        });
        router.add("UpdateAssumeRolePolicy", (p, r) -> {
            roles.updateTrustPolicy(p.required("RoleName"), p.required("PolicyDocument"));
            return "";
        });
        router.add("DeleteRole", (p, r) -> {
            roles.delete(p.required("RoleName"));
            return "";
        });
        router.add("TagRole", (p, r) -> {
            roles.tag(p.required("RoleName"), p.tags("Tags"));
            return "";
        });
        router.add("UntagRole", (p, r) -> {
            roles.untag(p.required("RoleName"), p.list("TagKeys"));
            return "";
        });
        router.add("ListRoleTags", (p, r) -> {
            Page<Map.Entry<String, String>> page = roles.tags(p.required("RoleName"), p.optional("Marker"),
                    p.integer("MaxItems"));
            Xml xml = new Xml().open("Tags");
            page.items().forEach(tag -> xml.open("member").text("Key", tag.getKey()).text("Value", tag.getValue())
                    .close("member"));
            return paged(xml.close("Tags"), page);
        });
        router.add("AttachRolePolicy", (p, r) -> {
            roles.attach(p.required("RoleName"), p.required("PolicyArn"));
            return "";
        });
        router.add("DetachRolePolicy", (p, r) -> {
            roles.detach(p.required("RoleName"), p.required("PolicyArn"));
            return "";
        });
        router.add("ListAttachedRolePolicies", (p, r) -> {
            Page<ManagedPolicy> page = roles.attached(p.required("RoleName"), p.optional("PathPrefix"),
                    p.optional("Marker"), p.integer("MaxItems"));
            Xml xml = new Xml().open("AttachedPolicies");
            page.items().forEach(policy -> xml.open("member").text("PolicyName", policy.name())
                    .text("PolicyArn", policy.arn()).close("member"));
            return paged(xml.close("AttachedPolicies"), page);
        });
        router.add("PutRolePolicy", (p, r) -> {
            roles.putInlinePolicy(p.required("RoleName"), p.required("PolicyName"), p.required("PolicyDocument"));
            return "";
        });
        router.add("GetRolePolicy", (p, r) -> {
            RoleRecord role = roles.get(p.required("RoleName"));
            String name = p.required("PolicyName");
            return new Xml().text("RoleName", role.name()).text("PolicyName", name)
                    .text("PolicyDocument", encoded(roles.inlinePolicy(role.name(), name))).toString();
        });
        router.add("DeleteRolePolicy", (p, r) -> {
            roles.deleteInlinePolicy(p.required("RoleName"), p.required("PolicyName"));
            return "";
        });
        router.add("ListRolePolicies", (p, r) -> {
            Page<String> page = roles.inlinePolicyNames(p.required("RoleName"), p.optional("Marker"),
                    p.integer("MaxItems"));
            Xml xml = new Xml().open("PolicyNames");
            page.items().forEach(name -> xml.text("member", name));
            return paged(xml.close("PolicyNames"), page);
        });
        router.add("CreatePolicy", (p, r) -> new Xml().open("Policy").raw(policyFields(policies.create(
                p.required("PolicyName"), p.optional("Path"), p.required("PolicyDocument"), p.optional("Description"),
                p.tags("Tags")))).close("Policy").toString());
        router.add("GetPolicy", (p, r) -> new Xml().open("Policy")
                .raw(policyFields(policies.get(p.required("PolicyArn")))).close("Policy").toString());
        router.add("GetPolicyVersion", (p, r) -> {
            ManagedPolicy policy = policies.version(p.required("PolicyArn"), p.required("VersionId"));
            return new Xml().open("PolicyVersion").text("Document", encoded(policy.document()))
                    .text("VersionId", ManagedPolicy.DEFAULT_VERSION).bool("IsDefaultVersion", true)
                    .time("CreateDate", policy.created()).close("PolicyVersion").toString();
        });
        router.add("DeletePolicy", (p, r) -> {
            policies.delete(p.required("PolicyArn"));
            return "";
        });
        router.add("ListPolicies", (p, r) -> {
            Page<ManagedPolicy> page = policies.list(scope(p.optional("Scope")), p.bool("OnlyAttached"),
                    p.optional("PathPrefix"), p.optional("Marker"), p.integer("MaxItems"));
            Xml xml = new Xml().open("Policies");
            page.items().forEach(policy -> xml.open("member").raw(policyFields(policy)).close("member"));
            return paged(xml.close("Policies"), page);
        });
    }

    @Override
    public ServiceRoutes routes() {
        return router;
    }

    private String role(RoleRecord role) {
        return new Xml().open("Role").raw(roleFields(role, true)).close("Role").toString();
    }

    /** A Role structure's members; ListRoles leaves out Tags, as IAM does. */
    private String roleFields(RoleRecord role, boolean withTags) {
        Xml xml = new Xml().text("Path", role.path()).text("RoleName", role.name()).text("RoleId", role.roleId())
                .text("Arn", roles.arn(role)).time("CreateDate", role.created())
                .text("AssumeRolePolicyDocument", encoded(role.trustPolicy())).text("Description", role.description())
                .number("MaxSessionDuration", role.maxSessionSeconds());
        if (withTags && !role.tags().isEmpty()) {
            xml.open("Tags");
            role.tags().forEach((k, v) -> xml.open("member").text("Key", k).text("Value", v).close("member"));
            xml.close("Tags");
        }
        if (withTags) {
            xml.open("RoleLastUsed").close("RoleLastUsed");
        }
        return xml.toString();
    }

    private String policyFields(ManagedPolicy p) {
        Xml xml = new Xml().text("PolicyName", p.name()).text("PolicyId", p.policyId()).text("Arn", p.arn())
                .text("Path", p.path()).text("DefaultVersionId", ManagedPolicy.DEFAULT_VERSION)
                .number("AttachmentCount", policies.attachmentCount(p.arn())).number("PermissionsBoundaryUsageCount", 0)
                .bool("IsAttachable", true).text("Description", p.description()).time("CreateDate", p.created())
                .time("UpdateDate", p.created());
        if (!p.tags().isEmpty()) {
            xml.open("Tags");
            p.tags().forEach((k, v) -> xml.open("member").text("Key", k).text("Value", v).close("member"));
            xml.close("Tags");
        }
        return xml.toString();
    }

    private static String paged(Xml list, Page<?> page) {
        list.bool("IsTruncated", page.marker().isPresent());
        page.marker().ifPresent(m -> list.text("Marker", m));
        return list.toString();
    }

    private static ManagedPolicies.Scope scope(Optional<String> scope) {
        try {
            return scope.map(ManagedPolicies.Scope::valueOf).orElse(ManagedPolicies.Scope.All);
        } catch (IllegalArgumentException e) {
            throw dev.kindling.iam.IamException.validation("1 validation error detected: Value '" + scope.get()
                    + "' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]");
        }
    }

    /** A policy document as IAM answers it: percent-encoded as RFC 3986 says (a space is %20, never '+'). */
    static String encoded(String document) {
        return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }
}
