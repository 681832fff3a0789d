import { describeConvergencePart } from './convergenceSuite.js'

describeConvergencePart(1)
