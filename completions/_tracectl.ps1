
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'tracectl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'tracectl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'tracectl' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('investigate', 'investigate', [CompletionResultType]::ParameterValue, 'Run a runbook''s investigation and rank what it finds')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'What a finding kind means, the evidence it uses, and how to fix it')
            [CompletionResult]::new('runbooks', 'runbooks', [CompletionResultType]::ParameterValue, 'List the runbooks or show one as a document')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'View the config file and switch contexts')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;investigate' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('latency', 'latency', [CompletionResultType]::ParameterValue, 'Why is a service slow? Latency by service, operation and dependency, slow traces'' critical paths, container resources and recent changes, ranked into a diagnosis')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;investigate;latency' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The service to investigate (without it: the slowest service over the threshold)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'The service to investigate (without it: the slowest service over the threshold)')
            [CompletionResult]::new('--operation', '--operation', [CompletionResultType]::ParameterName, 'Narrow to one operation of the service')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Latency threshold in seconds for the service [default: the runbook''s, 1.0]')
            [CompletionResult]::new('--quantile', '--quantile', [CompletionResultType]::ParameterName, 'Quantile to judge latency by [default: 0.95]')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'A git repository: also list commits touching the service in the lookback')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;investigate;help' {
            [CompletionResult]::new('latency', 'latency', [CompletionResultType]::ParameterValue, 'Why is a service slow? Latency by service, operation and dependency, slow traces'' critical paths, container resources and recent changes, ranked into a diagnosis')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;investigate;help;latency' {
            break
        }
        'tracectl;investigate;help;help' {
            break
        }
        'tracectl;explain' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List every finding kind')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;runbooks' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the runbooks (built in, or from --runbooks DIR)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a runbook: its steps, their queries and the equivalent tracectl command')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;runbooks;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;runbooks;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;runbooks;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the runbooks (built in, or from --runbooks DIR)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a runbook: its steps, their queries and the equivalent tracectl command')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;runbooks;help;list' {
            break
        }
        'tracectl;runbooks;help;show' {
            break
        }
        'tracectl;runbooks;help;help' {
            break
        }
        'tracectl;config' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('view', 'view', [CompletionResultType]::ParameterValue, 'Print the config file with every secret masked')
            [CompletionResult]::new('get-contexts', 'get-contexts', [CompletionResultType]::ParameterValue, 'List the contexts; the current one is marked with *')
            [CompletionResult]::new('use-context', 'use-context', [CompletionResultType]::ParameterValue, 'Make NAME the current context')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;config;view' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;config;get-contexts' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;config;use-context' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;config;help' {
            [CompletionResult]::new('view', 'view', [CompletionResultType]::ParameterValue, 'Print the config file with every secret masked')
            [CompletionResult]::new('get-contexts', 'get-contexts', [CompletionResultType]::ParameterValue, 'List the contexts; the current one is marked with *')
            [CompletionResult]::new('use-context', 'use-context', [CompletionResultType]::ParameterValue, 'Make NAME the current context')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;config;help;view' {
            break
        }
        'tracectl;config;help;get-contexts' {
            break
        }
        'tracectl;config;help;use-context' {
            break
        }
        'tracectl;config;help;help' {
            break
        }
        'tracectl;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;help' {
            [CompletionResult]::new('investigate', 'investigate', [CompletionResultType]::ParameterValue, 'Run a runbook''s investigation and rank what it finds')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'What a finding kind means, the evidence it uses, and how to fix it')
            [CompletionResult]::new('runbooks', 'runbooks', [CompletionResultType]::ParameterValue, 'List the runbooks or show one as a document')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'View the config file and switch contexts')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;help;investigate' {
            [CompletionResult]::new('latency', 'latency', [CompletionResultType]::ParameterValue, 'Why is a service slow? Latency by service, operation and dependency, slow traces'' critical paths, container resources and recent changes, ranked into a diagnosis')
            break
        }
        'tracectl;help;investigate;latency' {
            break
        }
        'tracectl;help;explain' {
            break
        }
        'tracectl;help;runbooks' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the runbooks (built in, or from --runbooks DIR)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a runbook: its steps, their queries and the equivalent tracectl command')
            break
        }
        'tracectl;help;runbooks;list' {
            break
        }
        'tracectl;help;runbooks;show' {
            break
        }
        'tracectl;help;config' {
            [CompletionResult]::new('view', 'view', [CompletionResultType]::ParameterValue, 'Print the config file with every secret masked')
            [CompletionResult]::new('get-contexts', 'get-contexts', [CompletionResultType]::ParameterValue, 'List the contexts; the current one is marked with *')
            [CompletionResult]::new('use-context', 'use-context', [CompletionResultType]::ParameterValue, 'Make NAME the current context')
            break
        }
        'tracectl;help;config;view' {
            break
        }
        'tracectl;help;config;get-contexts' {
            break
        }
        'tracectl;help;config;use-context' {
            break
        }
        'tracectl;help;completions' {
            break
        }
        'tracectl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
