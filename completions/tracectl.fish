# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tracectl_global_optspecs
    string join \n config= context= prometheus-url= jaeger-url= elasticsearch-url= grafana-url= alertmanager-url= collector-metrics-url= collector-otlp-url= kubeconfig= kube-context= n/namespace= profile= at= lookback= rate-window= timeout= command-timeout= runbooks= o/output= fail-on= record= replay= v/verbose q/quiet color= h/help V/version
end

function __fish_tracectl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tracectl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tracectl_using_subcommand
    set -l cmd (__fish_tracectl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tracectl -n "__fish_tracectl_needs_command" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_needs_command" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_needs_command" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_needs_command" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l timeout -d 'Timeout of each backend request [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l command-timeout -d 'Time budget of the whole command; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_needs_command" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_needs_command" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_needs_command" -l record -d 'Record every backend exchange into an evidence bundle directory' -r -F
complete -c tracectl -n "__fish_tracectl_needs_command" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_needs_command" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_needs_command" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_needs_command" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_needs_command" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "investigate" -d 'Run a runbook\'s investigation and rank what it finds'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "explain" -d 'What a finding kind means, the evidence it uses, and how to fix it'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "runbooks" -d 'List the runbooks or show one as a document'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "config" -d 'View the config file and switch contexts'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l timeout -d 'Timeout of each backend request [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l command-timeout -d 'Time budget of the whole command; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l record -d 'Record every backend exchange into an evidence bundle directory' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -f -a "latency" -d 'Why is a service slow? Latency by service, operation and dependency, slow traces\' critical paths, container resources and recent changes, ranked into a diagnosis'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -s s -l service -d 'The service to investigate (without it: the slowest service over the threshold)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l operation -d 'Narrow to one operation of the service' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l threshold -d 'Latency threshold in seconds for the service [default: the runbook\'s, 1.0]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l quantile -d 'Quantile to judge latency by [default: 0.95]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l repo -d 'A git repository: also list commits touching the service in the lookback' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l timeout -d 'Timeout of each backend request [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l command-timeout -d 'Time budget of the whole command; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l record -d 'Record every backend exchange into an evidence bundle directory' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from help" -f -a "latency" -d 'Why is a service slow? Latency by service, operation and dependency, slow traces\' critical paths, container resources and recent changes, ranked into a diagnosis'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l timeout -d 'Timeout of each backend request [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l command-timeout -d 'Time budget of the whole command; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l record -d 'Record every backend exchange into an evidence bundle directory' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l list -d 'List every finding kind'
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l timeout -d 'Timeout of each backend request [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l command-timeout -d 'Time budget of the whole command; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l record -d 'Record every backend exchange into an evidence bundle directory' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -f -a "list" -d 'List the runbooks (built in, or from --runbooks DIR)'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -f -a "show" -d 'Show a runbook: its steps, their queries and the equivalent tracectl command'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l timeout -d 'Timeout of each backend request [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l command-timeout -d 'Time budget of the whole command; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l record -d 'Record every backend exchange into an evidence bundle directory' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l timeout -d 'Timeout of each backend request [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l command-timeout -d 'Time budget of the whole command; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l record -d 'Record every backend exchange into an evidence bundle directory' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the runbooks (built in, or from --runbooks DIR)'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a runbook: its steps, their queries and the equivalent tracectl command'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l timeout -d 'Timeout of each backend request [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l command-timeout -d 'Time budget of the whole command; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l record -d 'Record every backend exchange into an evidence bundle directory' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -f -a "view" -d 'Print the config file with every secret masked'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -f -a "get-contexts" -d 'List the contexts; the current one is marked with *'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -f -a "use-context" -d 'Make NAME the current context'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l timeout -d 'Timeout of each backend request [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l command-timeout -d 'Time budget of the whole command; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l record -d 'Record every backend exchange into an evidence bundle directory' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l timeout -d 'Timeout of each backend request [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l command-timeout -d 'Time budget of the whole command; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l record -d 'Record every backend exchange into an evidence bundle directory' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l timeout -d 'Timeout of each backend request [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l command-timeout -d 'Time budget of the whole command; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l record -d 'Record every backend exchange into an evidence bundle directory' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "view" -d 'Print the config file with every secret masked'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get-contexts" -d 'List the contexts; the current one is marked with *'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "use-context" -d 'Make NAME the current context'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l timeout -d 'Timeout of each backend request [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l command-timeout -d 'Time budget of the whole command; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l record -d 'Record every backend exchange into an evidence bundle directory' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate explain runbooks config completions help" -f -a "investigate" -d 'Run a runbook\'s investigation and rank what it finds'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate explain runbooks config completions help" -f -a "explain" -d 'What a finding kind means, the evidence it uses, and how to fix it'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate explain runbooks config completions help" -f -a "runbooks" -d 'List the runbooks or show one as a document'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate explain runbooks config completions help" -f -a "config" -d 'View the config file and switch contexts'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate explain runbooks config completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate explain runbooks config completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from investigate" -f -a "latency" -d 'Why is a service slow? Latency by service, operation and dependency, slow traces\' critical paths, container resources and recent changes, ranked into a diagnosis'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from runbooks" -f -a "list" -d 'List the runbooks (built in, or from --runbooks DIR)'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from runbooks" -f -a "show" -d 'Show a runbook: its steps, their queries and the equivalent tracectl command'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "view" -d 'Print the config file with every secret masked'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get-contexts" -d 'List the contexts; the current one is marked with *'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "use-context" -d 'Make NAME the current context'
