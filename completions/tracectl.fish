# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tracectl_global_optspecs
    string join \n config= context= prometheus-url= jaeger-url= tempo-url= trace-store= elasticsearch-url= grafana-url= alertmanager-url= collector-metrics-url= collector-otlp-url= kubeconfig= kube-context= n/namespace= stack-namespace= profile= at= lookback= rate-window= timeout= command-timeout= runbooks= o/output= fail-on= record= record-raw replay= v/verbose q/quiet color= h/help V/version
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
complete -c tracectl -n "__fish_tracectl_needs_command" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_needs_command" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_needs_command" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_needs_command" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_needs_command" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_needs_command" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_needs_command" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_needs_command" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_needs_command" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_needs_command" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_needs_command" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_needs_command" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_needs_command" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_needs_command" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "investigate" -d 'Run a runbook\'s investigation and rank what it finds'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "audit" -d 'Audit the instrumentation against the tracing best practices: coverage, span names, attributes, events, context propagation, sampling and sensitive data, from a sample of recent traces per service; findings with the fix, and a 0-100 score per service'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "check" -d 'Health checks of the tracing stack, one pass/fail per check, for CI pipelines'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "deploy" -d 'Deploy the tracing stack (runbook 3.2.1): plan, apply with a journal, verify, roll back'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "maintain" -d 'Maintenance windows (runbook 3.2.2): backup, restore, updates, configuration, index retention, scaling, health and validation, each planned, confirmed and journaled'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "explain" -d 'What a finding kind means, the evidence it uses, and how to fix it'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "mcp" -d 'Serve the runbooks to an AI assistant over the Model Context Protocol (stdio): the investigations, check, audit, explain, the runbooks and the deploy and maintenance plans as tools, read-only'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "runbooks" -d 'List the runbooks or show one as a document'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "config" -d 'View the config file and switch contexts'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -f -a "latency" -d 'Why is a service slow? Latency by service, operation and dependency, slow traces\' critical paths, container resources and recent changes, ranked into a diagnosis'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -f -a "errors" -d 'Why is a service failing? Error ratio by service, error types against the baseline, where the error traces\' errors start, failing dependencies, error-log templates, pod health and resources, and recent changes, ranked into a diagnosis'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -f -a "data-loss" -d 'Where are spans lost? Every stage measured: services sending and sampling, the Collector\'s receivers, processors, exporters and queues, storage (Elasticsearch/OpenSearch and what Jaeger finds in it), connectivity, the Collector\'s config and its pods'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -f -a "rollout" -d 'Did a rollout regress the service? p95/p99 latency, error ratio and throughput per operation, in equal windows before and after the latest (or --revision N) rollout of the workload that runs it (a Deployment, StatefulSet or DaemonSet), with significance tests that do not cry wolf on low traffic'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -f -a "alerts" -d 'Start from what is firing: each firing alert in Alertmanager mapped to its runbook and service (the runbooks\' `alerts:` rules), those investigations run concurrently, one combined report with a section per alert and the alerts no runbook answers'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and not __fish_seen_subcommand_from latency errors data-loss rollout alerts help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -s s -l service -d 'The service to investigate (without it: the slowest service over the threshold)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l operation -d 'Narrow to one operation of the service' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l threshold -d 'Latency threshold in seconds for the service [default: the runbook\'s, 1.0]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l quantile -d 'Quantile to judge latency by [default: 0.95]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l repo -d 'A git repository: also list commits touching the service in the lookback' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l baseline-at -d 'A time when the fleet was healthy (RFC 3339 or unix seconds, before --at): the change tests compare now with the hour before it [default: the hour before 15m ago]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from latency" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -s s -l service -d 'The service to investigate (without it: the service with the highest error ratio)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l threshold -d 'Error-ratio threshold (errors / requests) for the service [default: the runbook\'s, 0.05]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l baseline-at -d 'A time when the fleet was healthy (RFC 3339 or unix seconds, before --at): the change tests compare now with the hour before it [default: the hour before 15m ago]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from errors" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -s s -l service -d 'Narrow the service checks to one service, and check that its stored spans are found' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l collector-name -d 'The Collector\'s Deployment, pod label app=NAME, container and ConfigMap NAME-config' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l collector-namespace -d 'Namespace of the Collector and Jaeger [default: the tracing stack\'s (--stack-namespace, else discovered), else -n]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l collector-config -d 'Lint this Collector config file instead of the ConfigMap its workloads mount (else NAME-config)' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l jaeger-name -d 'Jaeger\'s pods (label app=NAME) and containers' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l jaeger-collector-addr -d 'Jaeger collector\'s gRPC address to dial [default: the Jaeger URL\'s host:14250 when it uses port 16686]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l es-index-prefix -d 'Jaeger\'s Elasticsearch index prefix (its es.index-prefix)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l scrape-interval -d 'Time between the two scrapes of --collector-metrics-url when Prometheus has no otelcol_* metrics' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from data-loss" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -s s -l service -d 'The service (mapped to the Deployment, StatefulSet or DaemonSet that runs it)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l revision -d 'Judge this revision of its workload (`kubectl rollout history`) [default: the latest]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l since -d 'When the rollout began (RFC 3339 or unix seconds), instead of its revision\'s creation time (a ReplicaSet\'s or ControllerRevision\'s): for a service not on Kubernetes, or a rollback (which reuses an old revision)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l window -d 'Length of each window, before and after the rollout [default: 30m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l settle -d 'Time after the rollout began that neither window covers, while pods are replaced [default: 2m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from rollout" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l filter -d 'Only alerts matching this Alertmanager matcher (e.g. \'team="shop"\'); repeatable' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from alerts" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from help" -f -a "latency" -d 'Why is a service slow? Latency by service, operation and dependency, slow traces\' critical paths, container resources and recent changes, ranked into a diagnosis'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from help" -f -a "errors" -d 'Why is a service failing? Error ratio by service, error types against the baseline, where the error traces\' errors start, failing dependencies, error-log templates, pod health and resources, and recent changes, ranked into a diagnosis'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from help" -f -a "data-loss" -d 'Where are spans lost? Every stage measured: services sending and sampling, the Collector\'s receivers, processors, exporters and queues, storage (Elasticsearch/OpenSearch and what Jaeger finds in it), connectivity, the Collector\'s config and its pods'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from help" -f -a "rollout" -d 'Did a rollout regress the service? p95/p99 latency, error ratio and throughput per operation, in equal windows before and after the latest (or --revision N) rollout of the workload that runs it (a Deployment, StatefulSet or DaemonSet), with significance tests that do not cry wolf on low traffic'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from help" -f -a "alerts" -d 'Start from what is firing: each firing alert in Alertmanager mapped to its runbook and service (the runbooks\' `alerts:` rules), those investigations run concurrently, one combined report with a section per alert and the alerts no runbook answers'
complete -c tracectl -n "__fish_tracectl_using_subcommand investigate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -s s -l service -d 'Audit only this service (without it: every service Jaeger knows)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l traces-per-service -d 'Recent traces sampled per service, 1-1000 [default: the runbook\'s, 50]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l detect-ips -d 'Also report IP addresses in span data as sensitive (client IPs are personal data)'
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand audit" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l only -d 'Run only these checks (comma-separated)' -r -f -a "prometheus-ready\t''
jaeger-query\t''
collector-otlp\t''
collector-metrics\t''
span-drop-rate\t''
exporter-failure-rate\t''
span-latency\t''
elasticsearch-health\t''
grafana-health\t''
alertmanager-status\t''
tracing-pods\t''
jaeger-monitor\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l skip -d 'Skip these checks (comma-separated)' -r -f -a "prometheus-ready\t''
jaeger-query\t''
collector-otlp\t''
collector-metrics\t''
span-drop-rate\t''
exporter-failure-rate\t''
span-latency\t''
elasticsearch-health\t''
grafana-health\t''
alertmanager-status\t''
tracing-pods\t''
jaeger-monitor\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand check" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -f -a "plan" -d 'Print the ordered steps and what each would change, from the cluster\'s current state; changes nothing'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -f -a "apply" -d 'Apply the plan: confirm, journal every change, wait for rollouts, verify, annotate; offer the rollback when a step fails'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -f -a "verify" -d 'Run the post-deployment checks alone: pods ready, services present, an empty OTLP export accepted, the Jaeger UI answering'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -f -a "rollback" -d 'Undo a deployment from its journal: helm rollback to the revisions before, delete what it created'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and not __fish_seen_subcommand_from plan apply verify rollback help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -s f -l file -d 'Inputs file [default: ./deploy.yaml when it exists]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l collector-values -d 'Values file of the Collector chart' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l collector-version -d 'Version of the Collector chart' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l jaeger-values -d 'Values file of the Jaeger chart' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l jaeger-version -d 'Version of the Jaeger chart' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l manifests -d 'A directory of manifests to server-side apply (repeatable; replaces deploy.yaml\'s list)' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l es-password-file -d 'File holding the Elasticsearch password for Jaeger\'s Secret' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l es-password-env -d 'Environment variable holding the Elasticsearch password' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l wait-timeout -d 'How long to wait for the workloads to roll out [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l helm -d 'The helm binary [default: helm on PATH]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from plan" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -s f -l file -d 'Inputs file [default: ./deploy.yaml when it exists]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l collector-values -d 'Values file of the Collector chart' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l collector-version -d 'Version of the Collector chart' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l jaeger-values -d 'Values file of the Jaeger chart' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l jaeger-version -d 'Version of the Jaeger chart' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l manifests -d 'A directory of manifests to server-side apply (repeatable; replaces deploy.yaml\'s list)' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l es-password-file -d 'File holding the Elasticsearch password for Jaeger\'s Secret' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l es-password-env -d 'Environment variable holding the Elasticsearch password' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l wait-timeout -d 'How long to wait for the workloads to roll out [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l helm -d 'The helm binary [default: helm on PATH]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l journal -d 'Journal file [default: $XDG_STATE_HOME/tracectl/journal/<time>-deploy.jsonl]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l rollback-on-failure -d 'When a step fails, roll back what this run changed without asking'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from apply" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -s f -l file -d 'Inputs file, for the namespace and the services [default: ./deploy.yaml when it exists]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l journal -d 'The journal to undo [default: the newest in $XDG_STATE_HOME/tracectl/journal]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l helm -d 'The helm binary [default: helm on PATH]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from rollback" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from help" -f -a "plan" -d 'Print the ordered steps and what each would change, from the cluster\'s current state; changes nothing'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from help" -f -a "apply" -d 'Apply the plan: confirm, journal every change, wait for rollouts, verify, annotate; offer the rollback when a step fails'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Run the post-deployment checks alone: pods ready, services present, an empty OTLP export accepted, the Jaeger UI answering'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from help" -f -a "rollback" -d 'Undo a deployment from its journal: helm rollback to the revisions before, delete what it created'
complete -c tracectl -n "__fish_tracectl_using_subcommand deploy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -f -a "backup" -d 'Back up the labelled ConfigMaps and Secrets, every Grafana dashboard, and an Elasticsearch snapshot, into a directory with a manifest of checksums'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -f -a "restore" -d 'Restore a backup directory: ConfigMaps, Secrets, dashboards (overwrite) and the snapshot\'s missing indices; refuses a backup whose checksums do not match'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -f -a "update" -d '`helm upgrade` the Collector and Jaeger to a version with their values files, wait for the rollout; the previous revisions are journaled for the rollback'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -f -a "config" -d 'Create or replace the Collector and sampling ConfigMaps from files and apply the alert rules directory (server-side apply; the plan shows the diff)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -f -a "storage" -d 'Index retention for Jaeger\'s Elasticsearch indices (by the date in the name, UTC), force-merge of old indices, and the index template'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -f -a "scale" -d 'Replicas, resource limits and environment of the Collector and Jaeger workloads (a strategic-merge or JSON patch, shown as a diff)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -f -a "health" -d 'The pre-maintenance checks (those of `tracectl check`): exit 1 when one fails'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -f -a "validate" -d 'The post-maintenance validation (those of `tracectl check`, span processing p95 and dropped spans included): exit 1 when one fails'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -f -a "window" -d 'Run a whole maintenance window from a file: health first, a backup before anything destructive, the steps in order, validation; on a failure, roll back from the journal. Alerts are silenced and the window is annotated in Grafana for its duration'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -f -a "rollback" -d 'Undo a maintenance run from its journal (the newest by default)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and not __fish_seen_subcommand_from backup restore update config storage scale health validate window rollback help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l dir -d 'The backup directory, created 0700; must be new or empty [default: ./tracectl-backup-<UTC time>]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -s l -l selector -d 'Label selector of the ConfigMaps and Secrets to back up [default: app=tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l snapshot-repository -d 'Elasticsearch snapshot repository (registered already); without it, no snapshot' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l snapshot-indices -d 'Index patterns in the snapshot, joined by `,` [default: Jaeger\'s, jaeger-*]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l journal -d 'Journal file [default: $XDG_STATE_HOME/tracectl/journal/<time>-maintain-<step>.jsonl]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l no-secrets -d 'Leave the Secrets out (otherwise in secrets.yaml, mode 0600)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l dry-run -d 'Print the plan and stop; changes nothing'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l rollback-on-failure -d 'When a step fails, roll back what this run changed without asking'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from backup" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l journal -d 'Journal file [default: $XDG_STATE_HOME/tracectl/journal/<time>-maintain-<step>.jsonl]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l skip-secrets -d 'Leave the Secrets as they are'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l skip-dashboards -d 'Leave the dashboards as they are'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l skip-snapshot -d 'Do not restore missing indices from the backup\'s snapshot'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l dry-run -d 'Print the plan and stop; changes nothing'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l rollback-on-failure -d 'When a step fails, roll back what this run changed without asking'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from restore" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -s f -l file -d 'Inputs file of `deploy`: release and chart names, values files, namespace [default: ./deploy.yaml when it exists]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l collector-version -d 'Upgrade the Collector\'s release to this chart version (only releases given a version are upgraded; a release not installed is refused: `deploy apply` installs)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l collector-values -d 'Values file of the Collector chart [default: deploy.yaml\'s; without one, the release\'s current values are kept]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l jaeger-version -d 'Upgrade the Jaeger release to this chart version' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l jaeger-values -d 'Values file of the Jaeger chart, under deploy\'s Elasticsearch overrides [default: deploy.yaml\'s; without one, the release\'s current values are kept]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l wait-timeout -d 'How long to wait for the workloads to roll out [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l helm -d 'The helm binary [default: helm on PATH]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l journal -d 'Journal file [default: $XDG_STATE_HOME/tracectl/journal/<time>-maintain-<step>.jsonl]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l dry-run -d 'Print the plan and stop; changes nothing'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l rollback-on-failure -d 'When a step fails, roll back what this run changed without asking'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l collector-config -d 'The Collector\'s configuration file, for its ConfigMap under the file\'s base name (as `kubectl create configmap --from-file`); linted first: a config the Collector would not start with is refused' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l collector-configmap -d 'The Collector\'s ConfigMap [default: otel-collector-config]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l sampling -d 'A sampling configuration file, for the sampling ConfigMap (repeatable; one key per file, its base name; a .json file must be JSON, a .yaml file YAML)' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l sampling-configmap -d 'The sampling ConfigMap [default: sampling-config]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l rules -d 'A directory of alert rule manifests (*.yaml, *.yml, *.json) to server-side apply, as `kubectl apply -f DIR`' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l journal -d 'Journal file [default: $XDG_STATE_HOME/tracectl/journal/<time>-maintain-<step>.jsonl]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l dry-run -d 'Print the plan and stop; changes nothing'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l rollback-on-failure -d 'When a step fails, roll back what this run changed without asking'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from config" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l retention-days -d 'Delete Jaeger\'s span, service and dependencies indices whose day (the date in the name, UTC; a rollover index\'s creation day) is more than DAYS before today. Never today\'s, never a name outside the pattern, never a rollover write index. The plan lists every index with its size and doc count' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l prefix -d 'The index prefix Jaeger was given (`--es.index-prefix`), e.g. prod: only prod-jaeger-* indices are looked at' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l keep-last -d 'Never delete the newest N indices of each kind, however old [default: 1]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l snapshot-repository -d 'Snapshot exactly the indices to delete into this repository (registered already) first; `tracectl maintain rollback` restores them from it. Deleting needs this or --skip-snapshot' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l max-num-segments -d 'Segments per shard after the force-merge [default: 1]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l template -d 'Put this index template: a JSON file, the body of PUT _index_template/NAME (or _template/NAME with --legacy-template); unchanged when the live one already matches' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l template-name -d 'The template\'s name [default: jaeger-template]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l journal -d 'Journal file [default: $XDG_STATE_HOME/tracectl/journal/<time>-maintain-<step>.jsonl]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l skip-snapshot -d 'Delete without a snapshot: the deleted indices cannot be restored by tracectl'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l forcemerge -d 'Force-merge the kept indices no longer written to (yesterday\'s and older; rolled-over rollover indices), to fewer segments'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l legacy-template -d 'The template is a legacy one (`_template`, not `_index_template`)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l dry-run -d 'Print the plan and stop; changes nothing'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l rollback-on-failure -d 'When a step fails, roll back what this run changed without asking'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from storage" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l workload -d 'The workload in the namespace, KIND/NAME (deployment, statefulset or daemonset): deployment/otel-collector, statefulset/jaeger' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l replicas -d 'Replicas (not for a DaemonSet)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l limits -d 'Resource limits of the container, e.g. cpu=2,memory=4Gi (compared by value: 2000m is 2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l requests -d 'Resource requests of the container, e.g. cpu=500m,memory=1Gi' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l env -d 'Set an environment variable of the container (repeatable; the others are kept), e.g. JAVA_OPTS=\'-Xmx2g -Xms2g\'' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l container -d 'The container to change [default: the pod template\'s first]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l patch -d 'A patch file (JSON or YAML), sent in the same PATCH as the flags\' changes, after them' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l patch-type -d 'The patch file\'s type: strategic (containers and env merge by name), merge (RFC 7386) or json (RFC 6902 operations) [default: strategic]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l journal -d 'Journal file [default: $XDG_STATE_HOME/tracectl/journal/<time>-maintain-<step>.jsonl]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l dry-run -d 'Print the plan and stop; changes nothing'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l rollback-on-failure -d 'When a step fails, roll back what this run changed without asking'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from scale" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l only -d 'Run only these checks (comma-separated)' -r -f -a "prometheus-ready\t''
jaeger-query\t''
collector-otlp\t''
collector-metrics\t''
span-drop-rate\t''
exporter-failure-rate\t''
span-latency\t''
elasticsearch-health\t''
grafana-health\t''
alertmanager-status\t''
tracing-pods\t''
jaeger-monitor\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l skip -d 'Skip these checks (comma-separated)' -r -f -a "prometheus-ready\t''
jaeger-query\t''
collector-otlp\t''
collector-metrics\t''
span-drop-rate\t''
exporter-failure-rate\t''
span-latency\t''
elasticsearch-health\t''
grafana-health\t''
alertmanager-status\t''
tracing-pods\t''
jaeger-monitor\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from health" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l only -d 'Run only these checks (comma-separated)' -r -f -a "prometheus-ready\t''
jaeger-query\t''
collector-otlp\t''
collector-metrics\t''
span-drop-rate\t''
exporter-failure-rate\t''
span-latency\t''
elasticsearch-health\t''
grafana-health\t''
alertmanager-status\t''
tracing-pods\t''
jaeger-monitor\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l skip -d 'Skip these checks (comma-separated)' -r -f -a "prometheus-ready\t''
jaeger-query\t''
collector-otlp\t''
collector-metrics\t''
span-drop-rate\t''
exporter-failure-rate\t''
span-latency\t''
elasticsearch-health\t''
grafana-health\t''
alertmanager-status\t''
tracing-pods\t''
jaeger-monitor\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from validate" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l journal -d 'Journal file [default: $XDG_STATE_HOME/tracectl/journal/<time>-maintain-<step>.jsonl]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l dry-run -d 'Print the plan and stop; changes nothing'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l rollback-on-failure -d 'When a step fails, roll back what this run changed without asking'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from window" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l journal -d 'The journal to undo [default: the newest in $XDG_STATE_HOME/tracectl/journal]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l helm -d 'The helm binary [default: helm on PATH]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from rollback" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from help" -f -a "backup" -d 'Back up the labelled ConfigMaps and Secrets, every Grafana dashboard, and an Elasticsearch snapshot, into a directory with a manifest of checksums'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from help" -f -a "restore" -d 'Restore a backup directory: ConfigMaps, Secrets, dashboards (overwrite) and the snapshot\'s missing indices; refuses a backup whose checksums do not match'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from help" -f -a "update" -d '`helm upgrade` the Collector and Jaeger to a version with their values files, wait for the rollout; the previous revisions are journaled for the rollback'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from help" -f -a "config" -d 'Create or replace the Collector and sampling ConfigMaps from files and apply the alert rules directory (server-side apply; the plan shows the diff)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from help" -f -a "storage" -d 'Index retention for Jaeger\'s Elasticsearch indices (by the date in the name, UTC), force-merge of old indices, and the index template'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from help" -f -a "scale" -d 'Replicas, resource limits and environment of the Collector and Jaeger workloads (a strategic-merge or JSON patch, shown as a diff)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from help" -f -a "health" -d 'The pre-maintenance checks (those of `tracectl check`): exit 1 when one fails'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from help" -f -a "validate" -d 'The post-maintenance validation (those of `tracectl check`, span processing p95 and dropped spans included): exit 1 when one fails'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from help" -f -a "window" -d 'Run a whole maintenance window from a file: health first, a backup before anything destructive, the steps in order, validation; on a failure, roll back from the journal. Alerts are silenced and the window is annotated in Grafana for its duration'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from help" -f -a "rollback" -d 'Undo a maintenance run from its journal (the newest by default)'
complete -c tracectl -n "__fish_tracectl_using_subcommand maintain; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l list -d 'List every finding kind'
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand mcp" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and not __fish_seen_subcommand_from list show help" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
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
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the runbooks (built in, or from --runbooks DIR)'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a runbook: its steps, their queries and the equivalent tracectl command'
complete -c tracectl -n "__fish_tracectl_using_subcommand runbooks; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -f -a "view" -d 'Print the config file with every secret masked'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -f -a "get-contexts" -d 'List the contexts; the current one is marked with *'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -f -a "use-context" -d 'Make NAME the current context'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -f -a "init" -d 'Write a context from what discovery finds with the kubeconfig alone: the kubeconfig, its context and namespace, the tracing stack\'s namespace and the metric profile Prometheus\' names suggest. Backends are left without URLs, so each run reaches them through the API server\'s service proxy, as the printed comments say; with --in-cluster they get their cluster DNS addresses instead. The global --context names it (default `kube`); an existing context is replaced only with --force'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and not __fish_seen_subcommand_from view get-contexts use-context init help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from view" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from get-contexts" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from use-context" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l force -d 'Replace the context if it exists'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l in-cluster -d 'For tracectl running inside the cluster: each backend\'s URL by cluster DNS (http://NAME.NS.svc:PORT) and no kubeconfig (the pod\'s service account answers)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "view" -d 'Print the config file with every secret masked'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get-contexts" -d 'List the contexts; the current one is marked with *'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "use-context" -d 'Make NAME the current context'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write a context from what discovery finds with the kubeconfig alone: the kubeconfig, its context and namespace, the tracing stack\'s namespace and the metric profile Prometheus\' names suggest. Backends are left without URLs, so each run reaches them through the API server\'s service proxy, as the printed comments say; with --in-cluster they get their cluster DNS addresses instead. The global --context names it (default `kube`); an existing context is replaced only with --force'
complete -c tracectl -n "__fish_tracectl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l context -d 'Named context in the config file (endpoints, auth, profile, thresholds)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l prometheus-url -d 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l jaeger-url -d 'Jaeger query service (the /api HTTP API the Jaeger UI uses)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l tempo-url -d 'Grafana Tempo HTTP API (:3200), the other trace store' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l trace-store -d 'Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]' -r -f -a "jaeger\t''
tempo\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l elasticsearch-url -d 'Elasticsearch or OpenSearch holding Jaeger\'s indices' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l grafana-url -d 'Grafana HTTP API' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l alertmanager-url -d 'Alertmanager (API v2)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l collector-metrics-url -d 'The OpenTelemetry Collector\'s own metrics endpoint (:8888/metrics)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l collector-otlp-url -d 'The Collector\'s OTLP/HTTP receiver (:4318)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l kubeconfig -d 'Kubeconfig file' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l kube-context -d 'Kubeconfig context' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -s n -l namespace -d 'Kubernetes namespace of the services' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l stack-namespace -d 'Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy) [default: found from the kubeconfig: the charts\' app.kubernetes.io/name labels, the guide\'s app=tracing, else well-known names in monitoring, observability, tracing]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l profile -d 'Metric-name profile [default: mcp]' -r -f -a "mcp\t'The runbooks\' own `mcp_*` metrics'
spanmetrics\t'The OpenTelemetry Collector\'s spanmetrics (and servicegraph) connectors'
semconv\t'OpenTelemetry HTTP semantic-convention metrics'"
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l at -d 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l lookback -d 'How far back to look [default: 1h]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l rate-window -d 'Window of rate() [default: 5m]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l timeout -d 'Timeout of each backend request, more than 0s [default: 10s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l command-timeout -d 'Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l runbooks -d 'Directory of runbook files overriding the built-in ones' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'A diagnosis line and tables, for a human at a terminal'
json\t'The `tracectl.report/v1` JSON document, for scripts'
markdown\t'Markdown to paste into an incident ticket'
junit\t'JUnit XML, for CI test reports (`check`)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists [default: never]' -r -f -a "info\t''
warning\t''
critical\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l record -d 'Record every backend exchange into an evidence bundle directory, safe to share: the sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are masked in every body and Secrets\' values are never kept' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l replay -d 'Answer every backend call from a recorded bundle, with no network' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l color -d 'Colour: auto (terminal and NO_COLOR unset), always, never' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is not set'
always\t'Always colour, even when `NO_COLOR` is set'
never\t'Never colour'"
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l record-raw -d 'With --record: keep sensitive values as the backends sent them (warns; keep the bundle as private as the traces)'
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -s v -l verbose -d 'More logs on stderr (-v requests, -vv sizes)'
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -s q -l quiet -d 'No progress, only the result'
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate audit check deploy maintain explain mcp runbooks config completions help" -f -a "investigate" -d 'Run a runbook\'s investigation and rank what it finds'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate audit check deploy maintain explain mcp runbooks config completions help" -f -a "audit" -d 'Audit the instrumentation against the tracing best practices: coverage, span names, attributes, events, context propagation, sampling and sensitive data, from a sample of recent traces per service; findings with the fix, and a 0-100 score per service'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate audit check deploy maintain explain mcp runbooks config completions help" -f -a "check" -d 'Health checks of the tracing stack, one pass/fail per check, for CI pipelines'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate audit check deploy maintain explain mcp runbooks config completions help" -f -a "deploy" -d 'Deploy the tracing stack (runbook 3.2.1): plan, apply with a journal, verify, roll back'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate audit check deploy maintain explain mcp runbooks config completions help" -f -a "maintain" -d 'Maintenance windows (runbook 3.2.2): backup, restore, updates, configuration, index retention, scaling, health and validation, each planned, confirmed and journaled'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate audit check deploy maintain explain mcp runbooks config completions help" -f -a "explain" -d 'What a finding kind means, the evidence it uses, and how to fix it'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate audit check deploy maintain explain mcp runbooks config completions help" -f -a "mcp" -d 'Serve the runbooks to an AI assistant over the Model Context Protocol (stdio): the investigations, check, audit, explain, the runbooks and the deploy and maintenance plans as tools, read-only'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate audit check deploy maintain explain mcp runbooks config completions help" -f -a "runbooks" -d 'List the runbooks or show one as a document'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate audit check deploy maintain explain mcp runbooks config completions help" -f -a "config" -d 'View the config file and switch contexts'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate audit check deploy maintain explain mcp runbooks config completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from investigate audit check deploy maintain explain mcp runbooks config completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from investigate" -f -a "latency" -d 'Why is a service slow? Latency by service, operation and dependency, slow traces\' critical paths, container resources and recent changes, ranked into a diagnosis'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from investigate" -f -a "errors" -d 'Why is a service failing? Error ratio by service, error types against the baseline, where the error traces\' errors start, failing dependencies, error-log templates, pod health and resources, and recent changes, ranked into a diagnosis'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from investigate" -f -a "data-loss" -d 'Where are spans lost? Every stage measured: services sending and sampling, the Collector\'s receivers, processors, exporters and queues, storage (Elasticsearch/OpenSearch and what Jaeger finds in it), connectivity, the Collector\'s config and its pods'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from investigate" -f -a "rollout" -d 'Did a rollout regress the service? p95/p99 latency, error ratio and throughput per operation, in equal windows before and after the latest (or --revision N) rollout of the workload that runs it (a Deployment, StatefulSet or DaemonSet), with significance tests that do not cry wolf on low traffic'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from investigate" -f -a "alerts" -d 'Start from what is firing: each firing alert in Alertmanager mapped to its runbook and service (the runbooks\' `alerts:` rules), those investigations run concurrently, one combined report with a section per alert and the alerts no runbook answers'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from deploy" -f -a "plan" -d 'Print the ordered steps and what each would change, from the cluster\'s current state; changes nothing'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from deploy" -f -a "apply" -d 'Apply the plan: confirm, journal every change, wait for rollouts, verify, annotate; offer the rollback when a step fails'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from deploy" -f -a "verify" -d 'Run the post-deployment checks alone: pods ready, services present, an empty OTLP export accepted, the Jaeger UI answering'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from deploy" -f -a "rollback" -d 'Undo a deployment from its journal: helm rollback to the revisions before, delete what it created'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from maintain" -f -a "backup" -d 'Back up the labelled ConfigMaps and Secrets, every Grafana dashboard, and an Elasticsearch snapshot, into a directory with a manifest of checksums'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from maintain" -f -a "restore" -d 'Restore a backup directory: ConfigMaps, Secrets, dashboards (overwrite) and the snapshot\'s missing indices; refuses a backup whose checksums do not match'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from maintain" -f -a "update" -d '`helm upgrade` the Collector and Jaeger to a version with their values files, wait for the rollout; the previous revisions are journaled for the rollback'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from maintain" -f -a "config" -d 'Create or replace the Collector and sampling ConfigMaps from files and apply the alert rules directory (server-side apply; the plan shows the diff)'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from maintain" -f -a "storage" -d 'Index retention for Jaeger\'s Elasticsearch indices (by the date in the name, UTC), force-merge of old indices, and the index template'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from maintain" -f -a "scale" -d 'Replicas, resource limits and environment of the Collector and Jaeger workloads (a strategic-merge or JSON patch, shown as a diff)'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from maintain" -f -a "health" -d 'The pre-maintenance checks (those of `tracectl check`): exit 1 when one fails'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from maintain" -f -a "validate" -d 'The post-maintenance validation (those of `tracectl check`, span processing p95 and dropped spans included): exit 1 when one fails'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from maintain" -f -a "window" -d 'Run a whole maintenance window from a file: health first, a backup before anything destructive, the steps in order, validation; on a failure, roll back from the journal. Alerts are silenced and the window is annotated in Grafana for its duration'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from maintain" -f -a "rollback" -d 'Undo a maintenance run from its journal (the newest by default)'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from runbooks" -f -a "list" -d 'List the runbooks (built in, or from --runbooks DIR)'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from runbooks" -f -a "show" -d 'Show a runbook: its steps, their queries and the equivalent tracectl command'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "view" -d 'Print the config file with every secret masked'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get-contexts" -d 'List the contexts; the current one is marked with *'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "use-context" -d 'Make NAME the current context'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "init" -d 'Write a context from what discovery finds with the kubeconfig alone: the kubeconfig, its context and namespace, the tracing stack\'s namespace and the metric profile Prometheus\' names suggest. Backends are left without URLs, so each run reaches them through the API server\'s service proxy, as the printed comments say; with --in-cluster they get their cluster DNS addresses instead. The global --context names it (default `kube`); an existing context is replaced only with --force'
