package dev.weft.micronaut.internal;

import dev.weft.annotation.DestinationRule;
import dev.weft.annotation.DestinationRules;
import dev.weft.annotation.PeerAuthentication;
import dev.weft.annotation.RequireMutualTls;
import io.micronaut.context.BeanContext;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.qualifiers.Qualifiers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The classes whose policy annotations make the application's own policy: its beans that carry
 * them (controllers, singletons; only beans this context enables), and
 * the classes that are no beans, such as the main class, which the compile-time processor lists
 * in {@value #CLASSES_RESOURCE}.
 */
final class AuthoredPolicyClasses {
  /** Written by {@code weft-sdk-micronaut-processor}. */
  static final String CLASSES_RESOURCE = "META-INF/weft/policy-classes";

  private static final List<Class<? extends Annotation>> ANNOTATIONS = List.of(
      PeerAuthentication.class, DestinationRule.class, DestinationRules.class,
      RequireMutualTls.class);

  private AuthoredPolicyClasses() {}

  static Set<Class<?>> of(BeanContext context) {
    Set<Class<?>> classes = new LinkedHashSet<>();
    for (Class<? extends Annotation> annotation : ANNOTATIONS) {
      for (BeanDefinition<?> bean : context.getBeanDefinitions(Qualifiers.byStereotype(annotation))) {
        classes.add(bean.getBeanType());
      }
    }
    classes.addAll(listed(context.getClassLoader()));
    return classes;
  }

  private static Set<Class<?>> listed(ClassLoader loader) {
    Set<Class<?>> classes = new LinkedHashSet<>();
    try {
      Enumeration<URL> files = loader.getResources(CLASSES_RESOURCE);
      while (files.hasMoreElements()) {
        URL file = files.nextElement();
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(file.openStream(), StandardCharsets.UTF_8))) {
          for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (!line.isBlank()) {
              classes.add(load(loader, line.trim(), file));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + CLASSES_RESOURCE + ": " + e, e);
    }
    return classes;
  }

  private static Class<?> load(ClassLoader loader, String name, URL listedIn) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(listedIn + " lists " + name
          + ", which is not on the class path; rebuild the application", e);
    }
  }
}
