package io.shardlb.bridge;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request as the API server saw it, in RBAC terms: verb, API group, resource[/subresource].
 *
 * @param verb        get, list, watch, create, update, patch, delete
 * @param group       API group ("" for core)
 * @param resource    resource, with "/subresource" when one was addressed
 * @param contentType the request's content type (to tell patch kinds apart)
 * @param path        the raw path
 * @param userAgent   who sent it (tests mark their own "user" client to leave it out of the RBAC list)
 */
public record ApiRequest(String verb, String group, String resource, String contentType, String path,
                         String userAgent) {
    private static final Pattern PATH = Pattern.compile(
            "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/([^/?]+))?/([^/?]+)(?:/([^/?]+))?(?:/([^/?]+))?.*$");

    static ApiRequest of(String method, String path, String contentType, String userAgent) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return new ApiRequest(method.toLowerCase(java.util.Locale.ROOT), "?", path, contentType, path,
                    userAgent);
        }
        String group = m.group(1) == null ? "" : m.group(1);
        String resource = m.group(3);
        String name = m.group(4);
        String sub = m.group(5);
        if (m.group(2) != null && "namespaces".equals(resource)) {
            resource = "namespaces"; // not expected from the controller; kept visible
        }
        String verb = switch (method) {
            case "GET" -> path.contains("watch=true") ? "watch" : name == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name == null ? "deletecollection" : "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        return new ApiRequest(verb, group, sub == null ? resource : resource + "/" + sub, contentType, path,
                userAgent);
    }

    /** {@code verb group resource} with core as {@code ""}: one line of the RBAC list. */
    public String rbacLine() {
        return verb + " " + (group.isEmpty() ? "\"\"" : group) + " " + resource;
    }
}
