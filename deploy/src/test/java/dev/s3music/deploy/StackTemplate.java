package dev.s3music.deploy;

import static dev.s3music.deploy.ServerContract.ENV_ROLE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/**
 * Read-only views of a synthesized template that the assertions library does not offer directly: the statements
 * attached to one role, the containers by role, a construct's logical id.
 */
final class StackTemplate {

    private final Stack stack;
    private final Map<String, Object> resources;

    @SuppressWarnings("unchecked")
    StackTemplate(Stack stack, Template template) {
        this.stack = stack;
        this.resources = (Map<String, Object>) template.toJSON().get("Resources");
    }

    String logicalId(IConstruct construct) {
        return stack.getLogicalId((CfnElement) construct.getNode().getDefaultChild());
    }

    Map<String, Object> resources(String type) {
        Map<String, Object> found = new LinkedHashMap<>();
        resources.forEach((id, r) -> {
            if (type.equals(map(r).get("Type"))) {
                found.put(id, r);
            }
        });
        return found;
    }

    static Map<String, Object> properties(Object resource) {
        return map(map(resource).get("Properties"));
    }

    List<Map<String, Object>> containers() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object task : resources("AWS::ECS::TaskDefinition").values()) {
            for (Object c : list(properties(task).get("ContainerDefinitions"))) {
                all.add(map(c));
            }
        }
        return all;
    }

    Map<String, Object> container(String role) {
        return containers().stream()
            .filter(c -> role.equals(env(c).get(ENV_ROLE)))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no container with ROLE=" + role));
    }

    static Map<String, Object> env(Map<String, Object> container) {
        return nameValues(container.get("Environment"), "Value");
    }

    static Map<String, Object> secrets(Map<String, Object> container) {
        return nameValues(container.get("Secrets"), "ValueFrom");
    }

    /** {@code {"Fn::GetAtt": [<group>, "GroupId"]}}: how the template refers to a security group of the stack. */
    Map<String, Object> groupId(IConstruct securityGroup) {
        return Map.of("Fn::GetAtt", List.of(logicalId(securityGroup), "GroupId"));
    }

    /**
     * Every ingress rule of the template, standalone ({@code AWS::EC2::SecurityGroupIngress}) or inline in a group
     * (given that group's {@code GroupId}), as its properties.
     */
    List<Map<String, Object>> ingressRules() {
        return rules("AWS::EC2::SecurityGroupIngress", "SecurityGroupIngress");
    }

    /** Every egress rule, standalone or inline, like {@link #ingressRules()}. */
    List<Map<String, Object>> egressRules() {
        return rules("AWS::EC2::SecurityGroupEgress", "SecurityGroupEgress");
    }

    private List<Map<String, Object>> rules(String standaloneType, String inlineKey) {
        List<Map<String, Object>> rules = new ArrayList<>();
        resources(standaloneType).values().forEach(r -> rules.add(properties(r)));
        resources("AWS::EC2::SecurityGroup").forEach((id, group) -> {
            for (Object rule : list(properties(group).get(inlineKey))) {
                Map<String, Object> withGroup = new LinkedHashMap<>(map(rule));
                withGroup.put("GroupId", Map.of("Fn::GetAtt", List.of(id, "GroupId")));
                rules.add(withGroup);
            }
        });
        return rules;
    }

    /** Whether a security-group rule lets TCP traffic to {@code port} through (all protocols included). */
    static boolean covers(Map<String, Object> rule, int port) {
        String protocol = String.valueOf(rule.get("IpProtocol"));
        if ("-1".equals(protocol)) {
            return true;
        }
        if (!"tcp".equals(protocol)) {
            return false;
        }
        int from = ((Number) rule.get("FromPort")).intValue();
        int to = ((Number) rule.get("ToPort")).intValue();
        return from <= port && port <= to;
    }

    /** Statements of every managed policy attached to the role (CDK puts a role's grants in AWS::IAM::Policy). */
    List<Map<String, Object>> statementsOf(IConstruct role) {
        Map<String, Object> ref = Map.of("Ref", logicalId(role));
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object policy : resources("AWS::IAM::Policy").values()) {
            Map<String, Object> p = properties(policy);
            if (list(p.get("Roles")).contains(ref)) {
                list(map(p.get("PolicyDocument")).get("Statement")).forEach(s -> statements.add(map(s)));
            }
        }
        Object inline = properties(resources.get(logicalId(role))).get("Policies");
        if (inline != null) {
            for (Object p : list(inline)) {
                list(map(map(p).get("PolicyDocument")).get("Statement")).forEach(s -> statements.add(map(s)));
            }
        }
        return statements;
    }

    Set<String> actionsOf(IConstruct role) {
        Set<String> actions = new TreeSet<>();
        statementsOf(role).forEach(s -> actions.addAll(strings(s.get("Action"))));
        return actions;
    }

    /** Logical ids of the secrets a role may read. */
    List<String> secretResourcesOf(IConstruct role) {
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> s : statementsOf(role)) {
            if (strings(s.get("Action")).stream().anyMatch(a -> a.startsWith("secretsmanager:"))) {
                for (Object r : s.get("Resource") instanceof List<?> l ? l : List.of(s.get("Resource"))) {
                    ids.add(String.valueOf(map(r).get("Ref")));
                }
            }
        }
        return ids;
    }

    /** Every statement of every IAM policy, inline or managed, and of every resource policy. */
    List<Map<String, Object>> allStatements() {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object r : resources.values()) {
            collectStatements(map(r).get("Properties"), statements);
        }
        return statements;
    }

    @SuppressWarnings("unchecked")
    private static void collectStatements(Object node, List<Map<String, Object>> into) {
        if (node instanceof Map<?, ?> m) {
            Object statement = m.get("Statement");
            if (statement instanceof List<?> l && m.containsKey("Version")) {
                l.forEach(s -> into.add((Map<String, Object>) s));
            }
            m.values().forEach(v -> collectStatements(v, into));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectStatements(v, into));
        }
    }

    /** An IAM Action or Resource field as a list of plain strings (tokens such as Fn::Join become their text). */
    static List<String> strings(Object field) {
        if (field == null) {
            return List.of();
        }
        if (field instanceof List<?> l) {
            return l.stream().map(o -> o instanceof String s ? s : String.valueOf(o)).toList();
        }
        return List.of(field instanceof String s ? s : String.valueOf(field));
    }

    private static Map<String, Object> nameValues(Object entries, String valueKey) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (entries != null) {
            for (Object e : list(entries)) {
                out.put(String.valueOf(map(e).get("Name")), map(e).get(valueKey));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }
}
