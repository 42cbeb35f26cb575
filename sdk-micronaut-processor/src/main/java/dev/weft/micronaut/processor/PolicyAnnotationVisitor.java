package dev.weft.micronaut.processor;

import io.micronaut.inject.ast.ClassElement;
import io.micronaut.inject.visitor.TypeElementVisitor;
import io.micronaut.inject.visitor.VisitorContext;
import java.util.List;
import java.util.Set;

/**
 * Fails the build, at the annotated class, when a Weft policy annotation cannot be applied: a
 * port-level entry without a port, MUTUAL without certificates, two rules for one host.
 */
public final class PolicyAnnotationVisitor implements TypeElementVisitor<Object, Object> {
  @Override
  public Set<String> getSupportedAnnotationNames() {
    return Set.of(PolicyAnnotationChecks.PEER_AUTHENTICATION,
        PolicyAnnotationChecks.DESTINATION_RULE, PolicyAnnotationChecks.DESTINATION_RULES,
        PolicyAnnotationChecks.REQUIRE_MUTUAL_TLS);
  }

  @Override
  public VisitorKind getVisitorKind() {
    return VisitorKind.ISOLATING;
  }

  @Override
  public void visitClass(ClassElement element, VisitorContext context) {
    element.findAnnotation(PolicyAnnotationChecks.PEER_AUTHENTICATION).ifPresent(annotation ->
        report(PolicyAnnotationChecks.peerAuthentication(annotation), element, context));
    report(PolicyAnnotationChecks.destinationRules(
        element.getAnnotationValuesByName(PolicyAnnotationChecks.DESTINATION_RULE)),
        element, context);
  }

  private static void report(List<String> problems, ClassElement element,
      VisitorContext context) {
    for (String problem : problems) {
      context.fail(problem + " (Weft, on " + element.getName() + ")", element);
    }
  }
}
