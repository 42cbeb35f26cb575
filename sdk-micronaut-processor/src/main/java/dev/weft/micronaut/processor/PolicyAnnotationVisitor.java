package dev.weft.micronaut.processor;

import io.micronaut.inject.ast.ClassElement;
import io.micronaut.inject.ast.Element;
import io.micronaut.inject.visitor.TypeElementVisitor;
import io.micronaut.inject.visitor.VisitorContext;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fails the build, at the annotation, when a Weft policy annotation cannot be applied: a
 * port-level entry without a port, MUTUAL without certificates, two rules for one host. Lists
 * the annotated classes that are no beans (an application's main class) in {@value
 * #CLASSES_FILE}, for the runtime, which finds annotated beans itself.
 */
public final class PolicyAnnotationVisitor implements TypeElementVisitor<Object, Object> {
  /** Where the classes that are no beans are listed, one name a line, under META-INF. */
  public static final String CLASSES_FILE = "weft/policy-classes";

  private static final List<String> BEAN_STEREOTYPES = List.of(
      "io.micronaut.context.annotation.Bean", "jakarta.inject.Scope",
      "io.micronaut.context.annotation.DefaultScope", "io.micronaut.aop.Introduction");

  private final Map<String, ClassElement> notBeans = new TreeMap<>();
  @Override
  public Set<String> getSupportedAnnotationNames() {
    return Set.of(PolicyAnnotationChecks.PEER_AUTHENTICATION,
        PolicyAnnotationChecks.DESTINATION_RULE, PolicyAnnotationChecks.DESTINATION_RULES,
        PolicyAnnotationChecks.REQUIRE_MUTUAL_TLS);
  }

  @Override
  public VisitorKind getVisitorKind() {
    return VisitorKind.AGGREGATING;
  }

  @Override
  public void visitClass(ClassElement element, VisitorContext context) {
    element.findAnnotation(PolicyAnnotationChecks.PEER_AUTHENTICATION).ifPresent(annotation ->
        report(PolicyAnnotationChecks.peerAuthentication(annotation),
            Set.of(PolicyAnnotationChecks.PEER_AUTHENTICATION), element, context));
    report(PolicyAnnotationChecks.destinationRules(
        element.getAnnotationValuesByName(PolicyAnnotationChecks.DESTINATION_RULE)),
        Set.of(PolicyAnnotationChecks.DESTINATION_RULE, PolicyAnnotationChecks.DESTINATION_RULES),
        element, context);
    if (BEAN_STEREOTYPES.stream().noneMatch(element::hasStereotype)) {
      notBeans.put(element.getName(), element);
    }
  }

  @Override
  public void finish(VisitorContext context) {
    if (notBeans.isEmpty()) {
      return;
    }
    context.visitMetaInfFile(CLASSES_FILE, notBeans.values().toArray(Element[]::new))
        .ifPresent(file -> {
          try (Writer writer = file.openWriter()) {
            writer.write(String.join("\n", notBeans.keySet()) + "\n");
          } catch (IOException e) {
            context.fail("cannot write META-INF/" + CLASSES_FILE + ": " + e, null);
          }
        });
    notBeans.clear();
  }

  private static void report(List<String> problems, Set<String> annotations,
      ClassElement element, VisitorContext context) {
    for (String problem : problems) {
      String message = problem + " (Weft, on " + element.getName() + ")";
      if (!AnnotationErrors.printAt(message, annotations, element, context)) {
        context.fail(message, element);
      }
    }
  }
}
