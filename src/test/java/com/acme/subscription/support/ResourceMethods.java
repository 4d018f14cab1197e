package com.acme.subscription.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;

/**
 * The HTTP operations the application's JAX-RS resource classes declare ("GET /api/v1/tiers/{tierId}"),
 * read from their compiled annotations with Jandex, without loading a class: what the served API
 * document is compared with.
 */
public final class ResourceMethods {

    private static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");
    private static final DotName HTTP_METHOD = DotName.createSimple("jakarta.ws.rs.HttpMethod");
    private static final DotName IF_BUILD_PROFILE = DotName.createSimple("io.quarkus.arc.profile.IfBuildProfile");
    private static final DotName UNLESS_BUILD_PROFILE = DotName.createSimple("io.quarkus.arc.profile.UnlessBuildProfile");
    private static final List<String> HTTP_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    private ResourceMethods() {
    }

    /**
     * Every operation of the resource classes under {@code classes} that a build for {@code profile}
     * contains (a class restricted by {@code @IfBuildProfile} / {@code @UnlessBuildProfile} counts
     * only where it is built in).
     */
    public static Set<String> of(Path classes, String profile) throws IOException {
        Index index = index(classes);
        Set<String> operations = new TreeSet<>();
        for (AnnotationInstance path : index.getAnnotations(PATH)) {
            if (path.target().kind() != AnnotationTarget.Kind.CLASS) {
                continue;
            }
            ClassInfo resource = path.target().asClass();
            if (!builtFor(resource, profile)) {
                continue;
            }
            for (MethodInfo method : resource.methods()) {
                String verb = httpMethod(method);
                AnnotationInstance subPath = method.annotation(PATH);
                if (verb == null) {
                    if (subPath != null) {
                        throw new IllegalStateException("a sub-resource locator is not read here: " + method);
                    }
                    continue;
                }
                operations.add(verb + " " + join(path.value().asString(), subPath == null ? "" : subPath.value().asString()));
            }
        }
        return operations;
    }

    private static Index index(Path classes) throws IOException {
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                try (InputStream in = Files.newInputStream(file)) {
                    indexer.index(in);
                }
            }
        }
        return indexer.complete();
    }

    /** GET, POST, ... as annotated, directly or through an annotation marked {@code @HttpMethod}. */
    private static String httpMethod(MethodInfo method) {
        for (AnnotationInstance annotation : method.declaredAnnotations()) {
            String simple = annotation.name().withoutPackagePrefix();
            if (annotation.name().packagePrefix().equals("jakarta.ws.rs") && HTTP_METHODS.contains(simple)) {
                return simple;
            }
            if (annotation.name().equals(HTTP_METHOD)) {
                return annotation.value().asString();
            }
        }
        return null;
    }

    private static boolean builtFor(ClassInfo resource, String profile) {
        AnnotationInstance only = resource.declaredAnnotation(IF_BUILD_PROFILE);
        AnnotationInstance unless = resource.declaredAnnotation(UNLESS_BUILD_PROFILE);
        return (only == null || matches(only, profile)) && (unless == null || !matches(unless, profile));
    }

    /** A build profile annotation's value / anyOf / allOf, for a build with the one profile given. */
    private static boolean matches(AnnotationInstance annotation, String profile) {
        List<String> value = strings(annotation.value());
        List<String> anyOf = strings(annotation.value("anyOf"));
        List<String> allOf = strings(annotation.value("allOf"));
        return (value.isEmpty() || value.contains(profile))
                && (anyOf.isEmpty() || anyOf.contains(profile))
                && allOf.stream().allMatch(profile::equals);
    }

    private static List<String> strings(AnnotationValue value) {
        if (value == null) {
            return List.of();
        }
        return value.kind() == AnnotationValue.Kind.ARRAY ? Arrays.asList(value.asStringArray()) : List.of(value.asString());
    }

    /** The class and method paths as the API document writes them: one slash between, no template regex. */
    private static String join(String classPath, String methodPath) {
        String joined = ("/" + classPath + "/" + methodPath).replaceAll("/+", "/");
        joined = joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
        return joined.replaceAll("\\{\\s*([^}:\\s]+)\\s*:[^}]*}", "{$1}");
    }
}
