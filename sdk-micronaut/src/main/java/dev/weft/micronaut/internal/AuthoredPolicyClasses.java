package dev.weft.micronaut.internal;

import dev.weft.annotation.DestinationRule;
import dev.weft.annotation.DestinationRules;
import dev.weft.annotation.PeerAuthentication;
import dev.weft.annotation.RequireMutualTls;
import io.micronaut.context.BeanContext;
import io.micronaut.inject.BeanDefinition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The classes whose policy annotations make the application's own policy: its beans that carry
 * them (controllers, singletons, {@code @Client} interfaces; only beans this context enables), and
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
    for (BeanDefinition<?> bean : context.getAllBeanDefinitions()) {
      authoring(bean.getBeanType()).ifPresent(classes::add);
    }
    classes.addAll(listed(context.getClassLoader()));
    return classes;
  }

  /**
   * The class of a bean that carries the annotations: the bean's own, or, for a bean Micronaut
   * generated (a {@code @Client} interface's implementation), the interface it implements.
   */
  private static Optional<Class<?>> authoring(Class<?> type) {
    if (carries(type)) {
      return Optional.of(type);
    }
    return Arrays.stream(type.getInterfaces()).filter(AuthoredPolicyClasses::carries)
        .<Class<?>>map(found -> found).findFirst();
  }

  private static boolean carries(Class<?> type) {
    return ANNOTATIONS.stream().anyMatch(type::isAnnotationPresent);
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
