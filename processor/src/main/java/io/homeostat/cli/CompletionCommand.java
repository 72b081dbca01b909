package io.homeostat.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code homeostat completion}: bash (and zsh) completion of every command and option, from picocli. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash/zsh completion script for homeostat.",
                "Use: source <(scripts/homeostat completion)   (zsh: autoload -U +X bashcompinit && bashcompinit first)"})
public final class CompletionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("homeostat", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
