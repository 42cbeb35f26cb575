package dev.weft.micronaut.processor;

import io.micronaut.annotation.processing.visitor.JavaNativeElement;
import io.micronaut.annotation.processing.visitor.JavaVisitorContext;
import io.micronaut.inject.ast.ClassElement;
import io.micronaut.inject.visitor.VisitorContext;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Puts a compile error on the annotation itself, as javac does for its own annotation errors,
 * where the compiler is javac; Micronaut's visitor API can only name the annotated class.
 */
final class AnnotationErrors {
  private AnnotationErrors() {}

  /** Whether {@code message} was reported at one of {@code annotations} on {@code element}. */
  static boolean printAt(String message, Set<String> annotations, ClassElement element,
      VisitorContext context) {
    try {
      if (!(context instanceof JavaVisitorContext javac)
          || !(element.getNativeType() instanceof JavaNativeElement nativeElement)) {
        return false;
      }
      Element annotated = nativeElement.element();
      if (annotated == null) {
        return false;
      }
      for (AnnotationMirror mirror : annotated.getAnnotationMirrors()) {
        TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
        if (annotations.contains(type.getQualifiedName().toString())) {
          Messager messager = javac.getMessager();
          messager.printMessage(Diagnostic.Kind.ERROR, message, annotated, mirror);
          return true;
        }
      }
      return false;
    } catch (RuntimeException | LinkageError e) {
      // Another Micronaut than the one compiled against: the class is still named.
      return false;
    }
  }
}
