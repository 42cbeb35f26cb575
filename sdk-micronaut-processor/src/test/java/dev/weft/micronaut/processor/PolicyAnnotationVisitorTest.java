package dev.weft.micronaut.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles small applications with javac and Micronaut's annotation processor, as their build
 * would: invalid policy annotations fail the build with a message at the class.
 */
class PolicyAnnotationVisitorTest {
  @TempDir Path out;

  @Test
  void aPortLevelEntryWithoutAPortFailsTheBuildAtTheClass() throws IOException {
    Compilation compilation = compile("example.Payments", """
        package example;
        import dev.weft.annotation.*;
        import dev.weft.policy.MtlsMode;
        @jakarta.inject.Singleton
        @PeerAuthentication(mode = MtlsMode.STRICT,
            portLevelMtls = @PortMtls(mode = MtlsMode.DISABLE))
        public class Payments {}
        """);

    assertThat(compilation.success()).isFalse();
    assertThat(compilation.errors()).singleElement().satisfies(error -> {
      assertThat(error.getMessage(Locale.ROOT)).contains(
          "@PeerAuthentication portLevelMtls[0] has no port", "on example.Payments");
      assertThat(error.getLineNumber()).as("the line of the annotation").isEqualTo(5);
    });
  }

  @Test
  void mutualWithoutCertificatesFailsTheBuild() throws IOException {
    Compilation compilation = compile("example.Client", """
        package example;
        import dev.weft.annotation.*;
        import dev.weft.policy.TlsMode;
        @DestinationRule(host = "bank.example.com", tls = @ClientTls(mode = TlsMode.MUTUAL))
        public class Client {}
        """);

    assertThat(compilation.success()).isFalse();
    assertThat(compilation.messages()).contains("@DestinationRule(host = \"bank.example.com\")"
        + " tls mode MUTUAL needs clientCertificate and privateKey");
  }

  @Test
  void twoRulesForOneHostFailTheBuild() throws IOException {
    Compilation compilation = compile("example.Client", """
        package example;
        import dev.weft.annotation.*;
        import dev.weft.policy.TlsMode;
        @DestinationRule(host = "httpbin.bar.svc.cluster.local",
            tls = @ClientTls(mode = TlsMode.DISABLE))
        @DestinationRule(host = "httpbin.bar.svc.cluster.local",
            tls = @ClientTls(mode = TlsMode.ISTIO_MUTUAL))
        public class Client {}
        """);

    assertThat(compilation.success()).isFalse();
    assertThat(compilation.messages()).contains("appears twice: one rule per host");
  }

  @Test
  void validAnnotationsCompileAndTheClassesThatAreNoBeansAreListed() throws IOException {
    Compilation compilation = compile("example.Application", """
        package example;
        import dev.weft.annotation.*;
        import dev.weft.policy.MtlsMode;
        @RequireMutualTls
        @PeerAuthentication(mode = MtlsMode.STRICT,
            portLevelMtls = @PortMtls(port = 8081, mode = MtlsMode.DISABLE))
        public class Application {
          public static void main(String[] args) {}
        }
        """);

    assertThat(compilation.success()).as(compilation.messages()).isTrue();
    assertThat(Files.readString(out.resolve("META-INF/" + PolicyAnnotationVisitor.CLASSES_FILE)))
        .isEqualTo("example.Application\n");
  }

  @Test
  void annotatedBeansAreNotListedTheRuntimeFindsThemItself() throws IOException {
    Compilation compilation = compile("example.Hello", """
        package example;
        import dev.weft.annotation.*;
        @RequireMutualTls
        @jakarta.inject.Singleton
        public class Hello {}
        """);

    assertThat(compilation.success()).as(compilation.messages()).isTrue();
    assertThat(out.resolve("META-INF/" + PolicyAnnotationVisitor.CLASSES_FILE)).doesNotExist();
  }

  private record Compilation(boolean success, List<Diagnostic<? extends JavaFileObject>> errors,
      String messages) {}

  private Compilation compile(String className, String source) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      JavaFileObject file = new SimpleJavaFileObject(
          URI.create("string:///" + className.replace('.', '/') + ".java"),
          JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return source;
        }
      };
      String classPath = System.getProperty("java.class.path");
      List<String> options = List.of("-d", out.toString(), "-classpath", classPath,
          "-processorpath", classPath, "-proc:full");
      boolean success = javac.getTask(new StringWriter(), files, diagnostics, options, null,
          List.of(file)).call();
      List<Diagnostic<? extends JavaFileObject>> errors = diagnostics.getDiagnostics().stream()
          .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
      String messages = diagnostics.getDiagnostics().stream()
          .map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n"));
      return new Compilation(success, errors, messages);
    }
  }
}
